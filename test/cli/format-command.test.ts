import t from 'tap';
import { createRecordFormatter } from '../../lib/record-formatter.js';
import { takeEvents } from '../../lib/simulated-events.js';
import { runCli } from '../helpers/spawn-cli.js';

t.setTimeout(60_000);
const events = takeEvents(20, { seed: 3, hostileRate: 0.2 });
const ndjson = events.map((e) => JSON.stringify(e)).join('\n') + '\n';

t.test('good input: one record per event, as the formatter makes it, exit 0', async (t) => {
  const result = await runCli(['format', '--format', 'leef2'], ndjson);
  t.equal(result.code, 0, result.stderr);
  const format = createRecordFormatter({ format: 'leef2' });
  t.same(
    result.stdout.split('\n').slice(0, -1),
    events.map((e) => format.text(e)),
  );
  t.match(result.stderr, /20 formatted, 0 rejected/);
});

t.test('bad lines: reported as "line N: reason", counted, the rest still formatted, exit 2', async (t) => {
  const lines = ndjson.split('\n');
  lines.splice(3, 0, '{oops');
  lines.splice(7, 0, JSON.stringify({ kind: 'audit', time: 1 }));
  const result = await runCli(['format'], lines.join('\n'));
  t.equal(result.code, 2);
  t.match(result.stderr, /^line 4: not JSON/m);
  t.match(result.stderr, /^line 8: \w+/m);
  t.match(result.stderr, /20 formatted, 2 rejected/);
  t.equal(result.stdout.split('\n').length - 1, 20);
});
