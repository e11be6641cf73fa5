import { readFileSync } from 'node:fs';
import t from 'tap';
import { mappingTableMarkdown } from '../../lib/mapping-table.js';

t.test("README's mapping tables are the mappings in force", async (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = mappingTableMarkdown();
  t.ok(readme.includes(table), 'regenerate with: node --import tsx scripts/print-mapping-table.ts');
  t.match(table, /\| client-record \| `title` \| `cs5` \(Window Title\) \| `windowTitle` \|/);
});
