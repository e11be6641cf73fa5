import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createRecordFormatter } from '../../lib/record-formatter.js';
import { takeEvents } from '../../lib/simulated-events.js';
import { finished, runCli, startCli } from '../helpers/spawn-cli.js';

t.setTimeout(120_000);

const events = takeEvents(300, { seed: 11, hostileRate: 0.05 });
const ndjson = (list: unknown[]) => list.map((e) => JSON.stringify(e)).join('\n') + '\n';
const cef = createRecordFormatter({ format: 'cef' });

function workspace(settings: object) {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-run-'));
  const settingsPath = join(dir, 'settings.json');
  writeFileSync(settingsPath, JSON.stringify(settings));
  return { dir, settingsPath, logPath: join(dir, 'logs', 'EventLog') };
}
const fileOnly = (dir: string) => ({ logFile: { enabled: true, location: join(dir, 'logs') } });
const linesOf = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1);

t.test('exit 0: every selected event is in the log file, in order; unselected kinds are not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-run-'));
  const settingsPath = join(dir, 'settings.json');
  writeFileSync(settingsPath, JSON.stringify({ ...fileOnly(dir), contents: { auditLogEvents: false } }));
  const inputPath = join(dir, 'events.ndjson');
  writeFileSync(inputPath, ndjson(events));
  const result = await runCli(['run', '--settings', settingsPath, '--input', inputPath]);
  t.equal(result.code, 0, result.stderr);
  const selected = events.filter((e) => e.kind !== 'audit');
  t.ok(selected.length < events.length, 'the sample holds audit events to leave out');
  t.same(
    linesOf(join(dir, 'logs', 'EventLog')),
    selected.map((e) => cef.text(e)),
  );
  t.match(
    result.stderr,
    new RegExp(
      `${selected.length} selected, 0 rejected, ${selected.length} formatted, ${selected.length} written, 0 failed`,
    ),
  );
});

t.test('exit 2: bad lines are reported with their numbers and the rest is still written', async (t) => {
  const { dir, settingsPath, logPath } = workspace({});
  writeFileSync(settingsPath, JSON.stringify(fileOnly(dir)));
  const lines = ndjson(events.slice(0, 10)).split('\n');
  lines.splice(2, 0, 'not json');
  lines.splice(5, 0, JSON.stringify({ kind: 'client-status', time: 'yesterday', status: 'up', client: 'x' }));
  const result = await runCli(['run', '--settings', settingsPath], lines.join('\n'));
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr, /^line 3: not JSON/m);
  t.match(result.stderr, /^line 6: /m);
  t.match(result.stderr, /2 rejected/);
  t.same(
    linesOf(logPath),
    events.slice(0, 10).map((e) => cef.text(e)),
  );
});

t.test('exit 3: records that cannot be written are counted and named with where and why', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-run-'));
  const blocker = join(dir, 'not-a-folder');
  writeFileSync(blocker, 'a file where the log folder should be');
  const settingsPath = join(dir, 'settings.json');
  writeFileSync(
    settingsPath,
    JSON.stringify({ logFile: { enabled: true, location: join(blocker, 'logs') } }),
  );
  const result = await runCli(['run', '--settings', settingsPath], ndjson(events.slice(0, 25)));
  t.equal(result.code, 3, result.stderr);
  t.match(result.stderr, /25 records not delivered to file \(.*not-a-folder.*EventLog\): .+/);
});

t.test('SIGTERM mid-stream: everything read before the signal is flushed, then a clean exit', async (t) => {
  const { dir, settingsPath, logPath } = workspace({});
  writeFileSync(settingsPath, JSON.stringify(fileOnly(dir)));
  const child = startCli(['run', '--settings', settingsPath]);
  const done = finished(child);
  // stdin stays open: only the signal ends this run.
  child.stdin?.write(ndjson(events.slice(0, 100)));
  for (let i = 0; i < 200 && !(existsSync(logPath) && linesOf(logPath).length === 100); i++) await sleep(100);
  // More lines, then the signal at once: whatever the run had taken in by then must reach the file.
  child.stdin?.write(ndjson(events.slice(100, 300)));
  child.kill('SIGTERM');
  const result = await done;
  t.equal(result.code, 0, result.stderr);
  t.match(result.stderr, /SIGTERM: flushing/);
  const summary = /(\d+) selected, 0 rejected, \1 formatted, \1 written, 0 failed/.exec(result.stderr);
  t.ok(summary, result.stderr);
  const accepted = Number(summary?.[1]);
  t.ok(accepted >= 100 && accepted <= 300, `${accepted} accepted`);
  t.same(
    linesOf(logPath),
    events.slice(0, accepted).map((e) => cef.text(e)),
  );
});
