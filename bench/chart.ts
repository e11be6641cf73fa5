// A bar chart of measured ratios against their targets, as plain SVG text (no browser, no library).

export interface ChartRow {
  label: string;
  ratio: number | undefined;
  target: number;
  alarm: number;
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One row per ratio: the bar (green at or over target, amber over the alarm, red under it), a target tick. */
export function ratioChart(title: string, rows: readonly ChartRow[]): string {
  const labelWidth = 360;
  const barWidth = 420;
  const rowHeight = 26;
  const top = 40;
  const width = labelWidth + barWidth + 90;
  const height = top + rows.length * rowHeight + 30;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.ratio ?? 0, r.target))) * 1.1;
  const x = (ratio: number) => labelWidth + (ratio / max) * barWidth;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    out.push(`<text x="10" y="${y + 15}">${esc(row.label)}</text>`);
    if (row.ratio === undefined) {
      out.push(`<text x="${labelWidth}" y="${y + 15}" fill="#888">not measured</text>`);
    } else {
      const colour = row.ratio >= row.target ? '#2e7d32' : row.ratio >= row.alarm ? '#f9a825' : '#c62828';
      out.push(
        `<rect x="${labelWidth}" y="${y + 4}" width="${(x(row.ratio) - labelWidth).toFixed(1)}" height="16" fill="${colour}"/>`,
        `<text x="${(x(row.ratio) + 4).toFixed(1)}" y="${y + 16}">${row.ratio.toFixed(2)}x</text>`,
      );
    }
    out.push(
      `<line x1="${x(row.target).toFixed(1)}" x2="${x(row.target).toFixed(1)}" y1="${y + 1}" y2="${y + 23}" stroke="#000" stroke-width="2"/>`,
      `<line x1="${x(row.alarm).toFixed(1)}" x2="${x(row.alarm).toFixed(1)}" y1="${y + 1}" y2="${y + 23}" stroke="#c62828" stroke-dasharray="3,2"/>`,
    );
  });
  out.push(
    `<text x="10" y="${height - 10}" fill="#555">black tick: target; red dashes: CI alarm floor; bars: ratio measured in one run</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
