import { readFileSync } from 'node:fs';
import t from 'tap';
import { mappingTableMarkdown } from '../../lib/mapping-table.js';

// Cells trimmed and rules shortened, so a Markdown formatter's column alignment does not matter.
const normalise = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .map((cell) => (/^\s*-+\s*$/.test(cell) ? '---' : cell.trim()))
            .join('|')
        : line,
    )
    .join('\n');

t.test("README's mapping tables are the mappings in force", async (t) => {
  const readme = normalise(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
  const table = normalise(mappingTableMarkdown());
  t.ok(readme.includes(table), 'regenerate with: node --import tsx scripts/print-mapping-table.ts');
  t.match(table, /\|client-record\|`title`\|`cs5` \(Window Title\)\|`windowTitle`\|/);
});
