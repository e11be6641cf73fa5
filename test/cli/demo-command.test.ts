import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../helpers/spawn-cli.js';

t.setTimeout(120_000);

t.test('demo --duration 2 exits 0 with records in the file and at the receiver, and rotates', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'siemkit-demo-test-'));
  const result = await runCli(
    ['demo', '--duration', '2', '--rate', '3000', '--logs', join(cwd, 'logs')],
    '',
    { cwd },
  );
  t.equal(result.code, 0, result.stderr + result.stdout);
  const number = (label: string) => Number(new RegExp(`${label}\\s+(\\d+)`).exec(result.stdout)?.[1]);
  const written = number('written to file');
  const sent = number('sent over TLS');
  const received = number('received');
  t.ok(written > 1000, `${written} written`);
  t.equal(sent, written, 'everything written was also sent');
  t.equal(received, sent, 'the receiver got everything sent');
  t.match(result.stdout, /receiver got: <\d+>1 .*CEF:0\|/, 'shows records as the receiver got them');
  // The syslog disk spool lives in logs/spool; only the EventLog files are log files.
  const files = readdirSync(join(cwd, 'logs')).filter((f) => f.startsWith('EventLog'));
  t.ok(files.length >= 2, `rotation happened: ${files.join(', ')}`);
  const lines = files
    .filter((f) => !f.endsWith('.gz'))
    .flatMap((f) =>
      readFileSync(join(cwd, 'logs', f), 'utf8')
        .split('\n')
        .slice(0, -1),
    );
  t.equal(lines.length, written, 'the files hold every record written');
  t.ok(
    lines.every((l) => l.startsWith('CEF:0|')),
    'one CEF record per line, no split records',
  );
});
