// Runs every bench/*.bench.ts in its own process, collects the JSON lines they print, checks the ratios
// of bench/targets.ts, and writes bench/results.json and bench/results.svg.
//   npm run bench          full rounds; writes the results and the chart
//   npm run bench:check    short rounds (BENCH_ROUNDS, default 5); exit 1 when a ratio is under its alarm
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioChart } from './chart.js';
import type { BenchResult } from './harness.js';
import { TARGETS } from './targets.js';

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');
const env = { ...process.env, BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? (check ? '5' : '15') };

const results: BenchResult[] = [];
const failedFiles: string[] = [];
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  process.stderr.write(`\n# ${file}\n`);
  // Own process per file: one bench's JIT state and heap never colour another's.
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) failedFiles.push(`${file} exited with ${child.status ?? child.signal}`);
  for (const line of child.stdout.split('\n')) {
    if (line.startsWith('{')) results.push(JSON.parse(line) as BenchResult);
  }
}

interface Row {
  label: string;
  ratio: number | undefined;
  target: number;
  alarm: number;
  problem?: string;
  note?: string;
}
const rows: Row[] = TARGETS.map((t) => {
  const label = `${t.bench}: ${t.case} / ${t.versus}`;
  const result = results.find((r) => r.bench === t.bench);
  if (!result)
    return { label, ratio: undefined, target: t.target, alarm: t.alarm, note: 'no bench file yet' };
  const median = (name: string) => result.cases.find((c) => c.name === name)?.median;
  const a = median(t.case);
  const b = median(t.versus);
  if (a === undefined || b === undefined) {
    return {
      label,
      ratio: undefined,
      target: t.target,
      alarm: t.alarm,
      problem: 'case missing from the bench',
    };
  }
  const ratio = a / b;
  const problem = ratio < t.alarm ? `under its alarm floor ${t.alarm}` : undefined;
  return { label, ratio, target: t.target, alarm: t.alarm, problem, note: t.note };
});

const table = rows.map((r) => {
  const measured = r.ratio === undefined ? '   -  ' : `${r.ratio.toFixed(2).padStart(5)}x`;
  const status = r.problem
    ? `FAIL (${r.problem})`
    : r.ratio === undefined
      ? r.note
      : r.ratio >= r.target
        ? 'ok'
        : 'below target';
  return `${r.label.padEnd(64)} ${measured}  target ${r.target.toFixed(2)}  alarm ${r.alarm.toFixed(2)}  ${status}`;
});
process.stdout.write(`\n${table.join('\n')}\n`);

if (!check) {
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length };
  const date = new Date().toISOString();
  writeFileSync(
    join(here, 'results.json'),
    `${JSON.stringify({ ...machine, date, rounds: Number(env.BENCH_ROUNDS), ratios: rows, results }, null, 2)}\n`,
  );
  const title = `siemkit benchmarks, ratios in one run (Node ${machine.node}, ${machine.cpus}x ${machine.cpu}, ${date.slice(0, 10)})`;
  writeFileSync(join(here, 'results.svg'), ratioChart(title, rows));
  process.stdout.write('wrote bench/results.json and bench/results.svg\n');
}

const problems = [...failedFiles, ...rows.filter((r) => r.problem).map((r) => `${r.label}: ${r.problem}`)];
if (problems.length > 0) {
  process.stdout.write(`\nbench check failed:\n  ${problems.join('\n  ')}\n`);
  process.exitCode = 1;
}
