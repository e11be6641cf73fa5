import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { from } from 'rxjs';
import t from 'tap';
import { createSelfSignedCertificate } from '../../cli/self-signed-certificate.js';
import { startTlsSyslogReceiver } from '../../cli/tls-syslog-receiver.js';
import { createForwarder } from '../../forwarder/create-forwarder.js';
import type { ForwarderStats } from '../../forwarder/forwarder-stats.js';
import { fromEventEmitter } from '../../forwarder/from-event-emitter.js';
import { fromNdjson } from '../../forwarder/from-ndjson.js';
import { createRecordFormatter } from '../../lib/record-formatter.js';
import { parseSettings, type SettingsInput } from '../../lib/settings.js';
import { takeEvents } from '../../lib/simulated-events.js';
import { nodeFileSystem } from '../../sinks/file-system.js';

t.setTimeout(120_000);

const certificate = await createSelfSignedCertificate(['localhost', '127.0.0.1']);
const certDir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-cert-'));
const certPath = join(certDir, 'cert.pem');
writeFileSync(certPath, certificate.cert);

const events = takeEvents(3000, { seed: 7, hostileRate: 0.05 });
// The header a correct RFC 5424 syslog line has before the record: PRI, version, time, host, app, procid, msgid, SD.
const HEADER = /^<\d{1,3}>1 \S+ \S+ \S+ \S+ \S+ - $/;

function settingsFor(dir: string, port: number, extra: Partial<SettingsInput> = {}) {
  return parseSettings({
    logFile: { enabled: true, location: join(dir, 'logs') },
    forwarding: {
      enabled: true,
      host: '127.0.0.1',
      port,
      tls: { enabled: true, serverCertificate: certPath },
      connectTimeoutMs: 500,
      writeTimeoutMs: 1000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    },
    ...extra,
  });
}
const fileLines = (dir: string) =>
  readFileSync(join(dir, 'logs', 'EventLog'), 'utf8')
    .split('\n')
    .slice(0, -1);

for (const format of ['cef', 'leef2'] as const) {
  t.test(
    `${format}: every selected event arrives in both destinations, in order, byte for byte`,
    async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-'));
      const messages: string[] = [];
      const receiver = await startTlsSyslogReceiver({ ...certificate, onMessage: (m) => messages.push(m) });
      t.teardown(() => receiver.close());
      const settings = settingsFor(dir, receiver.port, {
        format: { logFormat: format },
        contents: { clientStatusEvents: false },
      });
      const forwarder = createForwarder(settings, { statsIntervalMs: 20 });
      const seen: ForwarderStats[] = [];
      forwarder.stats$.subscribe((s) => seen.push(s));
      const runReport = await forwarder.run(from(events));
      const report = await forwarder.close();
      t.ok(await receiver.waitFor(report.stats.sent, 5000), 'the receiver got everything sent');

      const format$ = createRecordFormatter({ format });
      const expected = events.filter((e) => e.kind !== 'client-status').map((e) => format$.text(e));
      t.ok(expected.length < events.length, 'some events are left out by the contents');
      t.same(fileLines(dir), expected, 'the file holds exactly the records, in order');
      t.equal(messages.length, expected.length);
      const bad = messages.findIndex(
        (m, i) => !(m.endsWith(expected[i]!) && HEADER.test(m.slice(0, -expected[i]!.length))),
      );
      t.equal(bad, -1, `message ${bad} is header + record: ${messages[bad]}`);
      t.equal(runReport.ok, true, 'run() resolves after everything is flushed');
      t.equal(report.ok, true);
      t.match(report.stats, {
        received: events.length,
        selected: expected.length,
        rejected: 0,
        formatted: expected.length,
        written: expected.length,
        sent: expected.length,
        buffered: 0,
        failed: 0,
      });
      t.same(seen.at(-1), report.stats, 'stats$ ends with the final counters');
    },
  );
}

t.test('a plain iterable is paused while a destination pushes back, and nothing is lost', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-'));
  const messages: string[] = [];
  const receiver = await startTlsSyslogReceiver({ ...certificate, onMessage: (m) => messages.push(m) });
  t.teardown(() => receiver.close());
  // A sink buffer and queue far smaller than the input: without pausing, the records beyond them would fail.
  const forwarder = createForwarder(settingsFor(dir, receiver.port), {
    queue: { maxQueuedRecords: 50 },
    syslogSink: { maxBufferBytes: 16 * 1024 },
  });
  let pulled = 0;
  function* source() {
    for (const event of events) {
      pulled++;
      yield event;
    }
  }
  const report = await forwarder.run(source());
  await forwarder.close();
  t.equal(pulled, events.length);
  t.equal(report.ok, true, JSON.stringify(report.undelivered));
  t.equal(fileLines(dir).length, events.length);
  t.ok(await receiver.waitFor(events.length, 5000), 'the receiver got every record');
});

t.test('invalid events are reported with the reason and counted, never silently dropped', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-'));
  const receiver = await startTlsSyslogReceiver(certificate);
  t.teardown(() => receiver.close());
  const invalid: string[] = [];
  const forwarder = createForwarder(settingsFor(dir, receiver.port), {
    onInvalid: (error) => invalid.push(`${error.code} ${error.message}`),
  });
  const lines = [JSON.stringify(events[0]), '{"kind":"audit","time":1}', 'nope', JSON.stringify(events[1])];
  const badLines: number[] = [];
  await forwarder.run(
    fromNdjson(Readable.from([lines.join('\n')]), { onBadLine: (e) => badLines.push(e.fields.line) }),
  );
  const report = await forwarder.close();
  t.same(badLines, [3]);
  t.equal(invalid.length, 1);
  t.match(invalid[0], /^SIEMKIT_ERR_INVALID_EVENT \w+/);
  t.match(report.stats, { received: 3, selected: 3, rejected: 1, formatted: 2, written: 2, sent: 2 });
});

t.test('a dead SIEM does not stall the log file; what it missed is reported', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-'));
  const receiver = await startTlsSyslogReceiver(certificate);
  const port = receiver.port;
  await receiver.close(); // nothing listens there any more
  const undelivered: string[] = [];
  const forwarder = createForwarder(settingsFor(dir, port), {
    closeTimeoutMs: 1500,
    queue: { stallTimeoutMs: 300, maxQueuedRecords: 1000 },
    onUndelivered: (u) => undelivered.push(u.destination),
  });
  const emitter = new EventEmitter();
  const run = forwarder.run(fromEventEmitter(emitter, 'event', 'end'));
  for (const event of events) emitter.emit('event', event);
  emitter.emit('end');
  await run;
  const report = await forwarder.close();
  t.equal(fileLines(dir).length, events.length, 'every record reached the file');
  t.equal(report.ok, false);
  t.equal(report.stats.sent, 0);
  t.ok(undelivered.every((d) => d === 'syslog'));
  const missing = report.undelivered
    .filter((u) => u.destination === 'syslog')
    .reduce((n, u) => n + u.records, 0);
  t.equal(missing, events.length, 'every record the SIEM missed is accounted for');
});

t.test('a failing disk does not stall forwarding; the file failure is reported', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-'));
  const messages: string[] = [];
  const receiver = await startTlsSyslogReceiver({ ...certificate, onMessage: (m) => messages.push(m) });
  t.teardown(() => receiver.close());
  const enospc = () =>
    Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
  const forwarder = createForwarder(settingsFor(dir, receiver.port), {
    closeTimeoutMs: 3000,
    fileSink: {
      fs: {
        ...nodeFileSystem,
        open: async (path, flags) => {
          const handle = await nodeFileSystem.open(path, flags);
          return Object.assign(Object.create(handle), {
            write: enospc,
            sync: async () => {},
            close: () => handle.close(),
            stat: () => handle.stat(),
          });
        },
      },
      maxRetries: 2,
      retryInitialDelayMs: 10,
      retryMaxDelayMs: 20,
    },
  });
  await forwarder.run(fromNdjson(Readable.from([events.map((e) => JSON.stringify(e)).join('\n')])));
  const report = await forwarder.close();
  t.ok(await receiver.waitFor(events.length, 5000), 'the SIEM got every record');
  t.equal(report.stats.sent, events.length);
  t.equal(report.stats.written, 0);
  t.equal(report.ok, false);
  t.ok(
    report.undelivered.some((u) => u.destination === 'file' && /ENOSPC|space/.test(u.reason)),
    JSON.stringify(report.undelivered),
  );
});
