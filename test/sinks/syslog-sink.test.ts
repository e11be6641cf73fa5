import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseSettings } from '../../lib/settings.js';
import type { SyslogConnectionError } from '../../sinks/connection-errors.js';
import { openSyslogConnection, type SyslogConnectFn } from '../../sinks/syslog-connection.js';
import { SyslogSink, type SyslogSinkOptions, type SyslogSpool } from '../../sinks/syslog-sink.js';
import { makeCa, makeLeaf, type Pem } from '../helpers/certs.js';
import { freePort, type Receiver, startReceiver } from '../helpers/receiver.js';

let ca: Pem;
let server: Pem;
t.before(async () => {
  ca = await makeCa();
  server = await makeLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], ca });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const T0 = Date.UTC(2024, 5, 1, 12, 0, 0, 123);
const record = (i: number) => `CEF:0|Acme|Test|1|100|rec ${i}|3|cs1=${'x'.repeat(150)} msg=é€`;
const ids = (messages: string[]) => messages.map((m) => Number(/rec (\d+)\|/.exec(m)![1]));
const plainHeader = { style: 'none' as const };

function sinkFor(receiverPorts: number[], options: Partial<SyslogSinkOptions> = {}): SyslogSink {
  return new SyslogSink({
    destinations: receiverPorts.map((port) => ({ host: '127.0.0.1', port })),
    connectTimeoutMs: 2000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    header: plainHeader,
    ...options,
  });
}

/** Writes records [from, to) honouring backpressure. */
async function writeRange(sink: SyslogSink, from: number, to: number, everyMs = 0): Promise<void> {
  for (let i = from; i < to; i++) {
    // Not events.once: it would also listen for 'error', which this sink emits for every failed attempt.
    if (!sink.write(record(i), { epochMs: T0, severity: 3 }))
      await new Promise<void>((r) => sink.once('drain', r));
    if (everyMs > 0 && i % 100 === 99) await sleep(everyMs);
  }
}

t.test('plain TCP, LF framing, RFC 5424 header: byte-exact on the wire', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const sink = sinkFor([receiver.port], {
    header: {
      style: 'rfc5424',
      hostname: 'host01.example.com',
      appName: 'auditlib',
      procId: 4711,
      facility: 10,
    },
  });
  const connects: unknown[] = [];
  sink.on('connect', (c) => connects.push(c));
  t.equal(sink.write('CEF:0|a|b|1|x|y|7|msg=ö', { epochMs: T0, severity: 7 }), true);
  sink.write('LEEF:2.0|a|b|1|x|^|k=v\nLEEF:2.0|forged', { epochMs: T0 + 1000, severity: 10 });
  await sink.end();
  await receiver.until(() => receiver.totalBytes() > 0);
  t.equal(
    Buffer.concat(receiver.connections[0]!.bytes).toString('utf8'),
    '<84>1 2024-06-01T12:00:00.123Z host01.example.com auditlib 4711 - - CEF:0|a|b|1|x|y|7|msg=ö\n' +
      '<82>1 2024-06-01T12:00:01.123Z host01.example.com auditlib 4711 - - LEEF:2.0|a|b|1|x|^|k=v LEEF:2.0|forged\n',
  );
  t.same(connects, [{ host: '127.0.0.1', port: receiver.port, index: 0 }]);
  t.match(sink.stats, { written: 2, bufferedBytes: 0, lineBreaksReplaced: 1, overflowed: 0 });
  t.equal(sink.stats.destinations[0]!.recordsSent, 2);
  t.throws(() => sink.write('late'), { code: 'SIEMKIT_ERR_SINK_ENDED' });
});

t.test('TLS defaults to octet counting; lengths are UTF-8 bytes; end() closes cleanly', async (t) => {
  const receiver = await startReceiver({ tls: { ...server } });
  t.teardown(() => receiver.close());
  const sink = sinkFor([receiver.port], { tls: { ca: ca.cert } });
  const n = 3000;
  await writeRange(sink, 0, n);
  await sink.end();
  await receiver.until(() => receiver.messages('octet-counting').length === n);
  const messages = receiver.messages('octet-counting');
  t.same(
    ids(messages),
    Array.from({ length: n }, (_, i) => i),
    'every record, in order',
  );
  t.equal(messages[5], record(5));
  const raw = Buffer.concat(receiver.connections[0]!.bytes);
  const first = Buffer.byteLength(record(0));
  t.equal(
    raw.subarray(0, String(first).length + 1).toString(),
    `${first} `,
    'octet count of the first frame',
  );
  t.ok(first > record(0).length, 'non-ASCII makes bytes exceed characters');
  t.equal(sink.stats.written, n);
  t.equal(sink.stats.writtenBytes, raw.length);
  const socket = receiver.connections[0]!.socket;
  if (!socket.destroyed) await once(socket, 'close');
  t.equal(receiver.connections.length, 1, 'one connection, no reconnects');
});

t.test(
  'receiver closed and restarted mid-stream: the sink reconnects and every record arrives',
  async (t) => {
    let receiver: Receiver = await startReceiver();
    const port = receiver.port;
    const all: string[] = [];
    t.teardown(() => receiver.close());
    const sink = sinkFor([port]);
    const disconnects: Array<{ code?: string }> = [];
    sink.on('disconnect', (d) => disconnects.push(d));
    await writeRange(sink, 0, 5000, 1);
    await sink.flush();
    await sleep(20);
    all.push(...receiver.messages('lf'));
    await receiver.close();
    const writing = writeRange(sink, 5000, 10_000, 1); // keeps writing while the receiver is down
    await sleep(150);
    receiver = await startReceiver({ port });
    await writing;
    await sink.end();
    await receiver.until(() => new Set([...all, ...receiver.messages('lf')]).size >= 10_000);
    all.push(...receiver.messages('lf'));
    const seen = new Set(ids(all));
    t.equal(seen.size, 10_000, 'no record lost');
    t.ok(disconnects.length >= 1);
    t.ok(sink.stats.reconnects >= 1);
    t.ok(all.length - seen.size <= sink.stats.replayed, 'duplicates only from the counted replay window');
    t.equal(sink.stats.bufferedRecords, 0);
  },
);

t.test('half-open: a receiver that drops the connection is noticed before the next batch', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  // No replay: a batch written into the dead socket would be lost, so only detection can save it.
  const sink = sinkFor([receiver.port], { replayWindowBytes: 0 });
  const events: string[] = [];
  sink.on('disconnect', (d) => events.push(`disconnect ${d.code}`));
  sink.on('connect', () => events.push('connect'));
  await writeRange(sink, 0, 100);
  await sink.flush();
  await receiver.until(() => receiver.messages('lf').length === 100);
  receiver.dropConnections();
  await receiver.until(() => events.length >= 3); // noticed and reconnected without writing anything
  t.match(events, ['connect', /^disconnect SIEMKIT_ERR_CONNECTION_(CLOSED|RESET)$/, 'connect']);
  await writeRange(sink, 100, 200);
  await sink.end();
  await receiver.until(() => receiver.connections.length === 2 && receiver.messages('lf').length === 200);
  t.same(
    ids(parseLf(receiver.connections[1]!.bytes)),
    Array.from({ length: 100 }, (_, i) => 100 + i),
  );
  t.equal(sink.stats.replayed, 0);
});

function parseLf(bytes: Buffer[]): string[] {
  const text = Buffer.concat(bytes).toString('utf8');
  return text.split('\n').filter((l) => l !== '');
}

t.test('a receiver that stops reading: write() turns false and memory stays within the bound', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const maxBufferBytes = 256 * 1024;
  const sink = sinkFor([receiver.port], { maxBufferBytes, writeTimeoutMs: 20_000 });
  await once(sink, 'connect');
  await receiver.until(() => receiver.connections.length === 1);
  const paused: Socket = receiver.connections[0]!.socket;
  paused.pause();
  let i = 0;
  let peak = 0;
  let stalled = false;
  while (!stalled) {
    if (!sink.write(record(i++))) {
      peak = Math.max(peak, sink.bufferedBytes);
      const drained = new Promise<boolean>((r) => sink.once('drain', () => r(false)));
      stalled = await Promise.race([drained, sleep(500).then(() => true)]);
    }
    peak = Math.max(peak, sink.bufferedBytes);
    if (i > 2_000_000) break;
  }
  t.ok(stalled, 'the sink stopped accepting while the receiver did not read');
  t.ok(peak <= maxBufferBytes + 1024, `peak ${peak} within ${maxBufferBytes} + one record`);
  t.ok(sink.stats.bufferedBytes > maxBufferBytes / 2, 'the buffer stays above the drain mark');
  paused.resume();
  await sink.end({ timeoutMs: 20_000 });
  await receiver.until(() => receiver.messages('lf').length === i);
  t.same(ids(receiver.messages('lf')).slice(-3), [i - 3, i - 2, i - 1]);
  t.equal(sink.stats.overflowed, 0);
});

t.test('drop-newest and drop-oldest keep the bound and count what they drop', async (t) => {
  for (const overflow of ['drop-newest', 'drop-oldest', 'block'] as const) {
    const port = await freePort(); // nobody listens: everything waits in the buffer
    const maxBufferBytes = 64 * 1024;
    const sink = sinkFor([port], { maxBufferBytes, overflow, batchBytes: 8 * 1024 });
    const drops: number[] = [];
    sink.on('overflow', (o) => drops.push(o.dropped));
    let falses = 0;
    for (let i = 0; i < 2000; i++) if (!sink.write(record(i))) falses++;
    const limit = overflow === 'block' ? 2 * maxBufferBytes : maxBufferBytes;
    t.ok(sink.bufferedBytes <= limit, `${overflow}: ${sink.bufferedBytes} <= ${limit}`);
    t.ok(falses > 0, `${overflow}: write() said to wait`);
    const { overflowed, bufferedRecords } = sink.stats;
    t.ok(overflowed > 0, `${overflow}: counted drops`);
    t.equal(
      overflowed + bufferedRecords,
      2000,
      `${overflow}: every record is buffered or counted as dropped`,
    );
    t.equal(
      drops.reduce((a, b) => a + b, 0),
      overflowed,
      `${overflow}: overflow events carry the counts`,
    );
    sink.destroy();
  }
});

t.test('failover in order, and failback to the primary when it answers again', async (t) => {
  let primary = await startReceiver();
  const primaryPort = primary.port;
  const secondary = await startReceiver();
  t.teardown(async () => {
    await primary.close();
    await secondary.close();
  });
  const sink = sinkFor([primaryPort, secondary.port], { failbackProbeMs: 100 });
  const failovers: Array<{ reason: string; to: { port: number } }> = [];
  sink.on('failover', (f) => failovers.push(f));
  await writeRange(sink, 0, 100);
  await sink.flush();
  await primary.until(() => primary.messages('lf').length === 100);
  await primary.close();
  await writeRange(sink, 100, 200);
  await sink.flush();
  await secondary.until(() => ids(secondary.messages('lf')).includes(199));
  t.match(failovers, [{ reason: 'failover', to: { port: secondary.port } }]);
  primary = await startReceiver({ port: primaryPort });
  await secondary.until(() => failovers.length === 2);
  t.match(failovers[1], { reason: 'failback', to: { port: primaryPort } });
  await writeRange(sink, 200, 300);
  await sink.end();
  await primary.until(() => primary.messages('lf').length >= 100);
  t.same(
    ids(primary.messages('lf')).slice(-100),
    Array.from({ length: 100 }, (_, i) => 200 + i),
    'new records go to the primary',
  );
  const seen = new Set([...ids(secondary.messages('lf')), ...ids(primary.messages('lf'))]);
  t.ok(
    [...Array(100).keys()].every((i) => seen.has(100 + i)),
    'nothing lost across the switch',
  );
  const stats = sink.stats;
  t.equal(stats.failovers, 2);
  t.equal(stats.destinations[1]!.failovers, 1);
  t.equal(stats.destinations[0]!.failovers, 1);
  t.ok(stats.destinations[1]!.recordsSent >= 100);
});

t.test('primary down from the start: failover to the next receiver, reported as such', async (t) => {
  const primaryPort = await freePort();
  const secondary = await startReceiver();
  t.teardown(() => secondary.close());
  const sink = sinkFor([primaryPort, secondary.port]);
  const failover = new Promise((r) => sink.once('failover', r));
  sink.write(record(1));
  t.match(await failover, { from: { port: primaryPort }, to: { port: secondary.port }, reason: 'failover' });
  await sink.end();
  t.same(ids(secondary.messages('lf')), [1]);
  t.match(sink.stats.destinations, [
    { port: primaryPort, errors: 1, recordsSent: 0 },
    { port: secondary.port, recordsSent: 1, failovers: 1 },
  ]);
});

t.test(
  'the failover receiver drops while the primary is being probed: the sink still reconnects',
  async (t) => {
    const primaryPort = await freePort();
    const secondary = await startReceiver();
    t.teardown(() => secondary.close());
    // A probe of the primary that hangs (black-holed) while the secondary connection breaks.
    let hangProbe: (() => void) | undefined;
    let secondaryUp = false;
    const connect: SyslogConnectFn = async (target, options) => {
      if (target.port === primaryPort && secondaryUp && hangProbe === undefined) {
        return new Promise((_, reject) => {
          hangProbe = () => reject(new Error('probe timed out'));
        });
      }
      const socket = await openSyslogConnection(target, options);
      if (target.port === secondary.port) secondaryUp = true;
      return socket;
    };
    const sink = sinkFor([primaryPort, secondary.port], { connect, failbackProbeMs: 50 });
    await secondary.until(() => hangProbe !== undefined);
    secondary.dropConnections();
    await secondary.until(() => secondary.connections.length === 2, 3000);
    hangProbe!();
    sink.write(record(7));
    await sink.end();
    t.same(ids(secondary.messages('lf')), [7]);
  },
);

t.test(
  'a receiver that is down: capped, jittered backoff, never a busy loop (TLS failures included)',
  async (t) => {
    const receiver = await startReceiver({ tls: { ...server } }); // untrusted by the sink below
    const refusedPort = await freePort();
    t.teardown(() => receiver.close());
    for (const port of [refusedPort, receiver.port]) {
      let attempts = 0;
      const connect: SyslogConnectFn = (target, options) => {
        attempts++;
        return openSyslogConnection(target, options);
      };
      const errors: SyslogConnectionError[] = [];
      const sink = sinkFor([port], {
        connect,
        tls: { ca: null },
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      });
      sink.on('error', (e) => errors.push(e));
      await sleep(1000);
      sink.destroy();
      // Delays 25-50, 50-100, 100-200 then 100-200 ms: about 6-12 attempts in a second, never hundreds.
      t.ok(attempts >= 4 && attempts <= 14, `port ${port}: ${attempts} attempts in 1 s`);
      // An attempt still in flight when destroy() ran is not reported.
      t.ok(errors.length === attempts || errors.length === attempts - 1, `${errors.length} errors`);
      t.equal(
        errors[0]!.code,
        port === refusedPort ? 'SIEMKIT_ERR_CONNECT_REFUSED' : 'SIEMKIT_ERR_TLS_UNTRUSTED',
      );
      t.match(errors[0]!.fields, { host: '127.0.0.1', port });
      t.equal(sink.stats.destinations[0]!.errors, errors.length);
    }
  },
);

t.test('a receiver that accepts and closes at once is retried with backoff too', async (t) => {
  const receiver = await startReceiver();
  receiver.server.on('connection', (s: Socket) => s.destroy());
  t.teardown(() => receiver.close());
  const sink = sinkFor([receiver.port], {
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    stableAfterMs: 1000,
  });
  await sleep(1000);
  sink.destroy();
  t.ok(receiver.connections.length <= 14, `${receiver.connections.length} connections in 1 s`);
});

t.test(
  'write timeout: a receiver that takes nothing for writeTimeoutMs is dropped and retried',
  async (t) => {
    const receiver = await startReceiver();
    t.teardown(() => receiver.close());
    const sink = sinkFor([receiver.port], { writeTimeoutMs: 300, maxBufferBytes: 1024 * 1024 });
    await once(sink, 'connect');
    await receiver.until(() => receiver.connections.length === 1);
    receiver.connections[0]!.socket.pause();
    let event: { code?: string } | undefined;
    sink.once('disconnect', (d) => {
      event = d;
    });
    // Keep writing (politely) until the kernel buffers are full and the timeout fires.
    for (let i = 0; !event && i < 500_000; i++) {
      if (!sink.write(record(i)))
        await Promise.race([new Promise<void>((r) => sink.once('drain', r)), sleep(50)]);
    }
    t.equal(event?.code, 'SIEMKIT_ERR_WRITE_TIMEOUT');
    sink.destroy();
  },
);

t.test('end() with no receiver reports what was not delivered', async (t) => {
  const sink = sinkFor([await freePort()]);
  for (let i = 0; i < 10; i++) sink.write(record(i));
  await t.rejects(sink.end({ timeoutMs: 200 }), {
    code: 'SIEMKIT_ERR_UNDELIVERED',
    fields: { records: 10, lastErrorCode: 'SIEMKIT_ERR_CONNECT_REFUSED' },
  });
});

t.test('spool seam: overflow goes to the spool and comes back when the receiver is reachable', async (t) => {
  const port = await freePort();
  const spilled: Array<{ frames: Buffer; records: number }> = [];
  const spool: SyslogSpool = {
    spill: (frames, records) => {
      spilled.push({ frames, records });
      return true;
    },
    refill: async () => spilled.shift() ?? null,
  };
  const sink = sinkFor([port], {
    overflow: 'drop-newest',
    maxBufferBytes: 8 * 1024,
    batchBytes: 4096,
    spool,
  });
  for (let i = 0; i < 200; i++) sink.write(record(i));
  t.ok(sink.stats.spooled > 0);
  t.equal(sink.stats.overflowed, 0);
  const receiver = await startReceiver({ port });
  t.teardown(() => receiver.close());
  await receiver.until(() => receiver.messages('lf').length === 200, 15_000);
  t.same(new Set(ids(receiver.messages('lf'))).size, 200);
  t.equal(sink.stats.spooled, 0);
  await sink.end();
});

t.test('fromSettings: receivers, PEM files, header and framing from the settings', async (t) => {
  const receiver = await startReceiver({ tls: { ...server } });
  t.teardown(() => receiver.close());
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-'));
  writeFileSync(join(dir, 'ca.pem'), ca.cert);
  const settings = parseSettings({
    forwarding: {
      enabled: true,
      host: '127.0.0.1',
      port: receiver.port,
      tls: { enabled: true, serverCertificate: join(dir, 'ca.pem') },
      facility: 'local4',
      appName: 'siemkit-test',
      hostname: 'sender01',
    },
  });
  const sink = SyslogSink.fromSettings(settings);
  sink.write('CEF:0|a|b|1|x|y|10|', { epochMs: T0, severity: 10 });
  await sink.end();
  await receiver.until(() => receiver.messages('octet-counting').length === 1);
  t.equal(
    receiver.messages('octet-counting')[0],
    `<162>1 2024-06-01T12:00:00.123Z sender01 siemkit-test ${process.pid} - - CEF:0|a|b|1|x|y|10|`,
  );
});

t.test('invalid options throw at creation', async (t) => {
  t.throws(() => new SyslogSink({ destinations: [{ host: '127.0.0.1', port: 1 }], maxBuffer: 1 } as never), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
    fields: { option: 'maxBuffer', reason: 'unknown option' },
  });
  t.throws(() => new SyslogSink({ destinations: [] }), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
    fields: { option: 'destinations' },
  });
  t.throws(
    () => new SyslogSink({ destinations: [{ host: '127.0.0.1', port: 1 }], overflow: 'explode' as never }),
    { code: 'SIEMKIT_ERR_INVALID_OPTION', fields: { option: 'overflow' } },
  );
  t.throws(() => new SyslogSink({ destinations: [{ host: '127.0.0.1', port: 1 }], maxBufferBytes: 10 }), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
    fields: { option: 'maxBufferBytes' },
  });
});
