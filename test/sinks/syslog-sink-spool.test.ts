// SyslogSink with a DiskSpool, against real loopback receivers and real spool files: outages, restarts,
// kill -9, corruption and a full spool. Every event id must arrive at least once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DiskSpool, type DiskSpoolOptions } from '../../sinks/disk-spool.js';
import type { SpoolCorruptError } from '../../sinks/spool-errors.js';
import { openSyslogConnection, type SyslogConnectFn } from '../../sinks/syslog-connection.js';
import { SyslogSink, type SyslogSinkOptions } from '../../sinks/syslog-sink.js';
import { freePort, type Receiver, startReceiver } from '../helpers/receiver.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tempDir = () => mkdtempSync(join(tmpdir(), 'siemkit-spool-'));
const PAD = 'x'.repeat(200);
/** What the sink may hold in memory: the replay window (2 MiB with a spool), one queued and two in-flight batches. */
const MEMORY_BOUND = 2048 * 1024 + 3 * 64 * 1024;
const record = (id: number) => `CEF:0|Acme|Test|1|100|rec|3|externalId=${id} cs1=${PAD}`;
const idsOf = (messages: string[]) =>
  messages.flatMap((m) => {
    const id = /externalId=(\d+)/.exec(m);
    return id ? [Number(id[1])] : [];
  });

function spoolSink(port: number, spool: Partial<DiskSpoolOptions>, options: Partial<SyslogSinkOptions> = {}) {
  const disk = DiskSpool.open({ path: tempDir(), fsyncIntervalMs: null, ...spool });
  const sink = new SyslogSink({
    destinations: [{ host: '127.0.0.1', port }],
    header: { style: 'none' },
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    connectTimeoutMs: 2000,
    spool: disk,
    ...options,
  });
  return { sink, disk };
}

/** Every message of every receiver so far, in arrival order. */
class Receivers {
  private readonly past: string[] = [];
  current: Receiver | undefined;
  constructor(readonly port: number) {}
  async start() {
    this.current = await startReceiver({ port: this.port });
  }
  async stop() {
    const r = this.current!;
    this.current = undefined;
    await r.close();
    this.past.push(...r.messages('lf'));
  }
  messages(): string[] {
    return [...this.past, ...(this.current?.messages('lf') ?? [])];
  }
}

t.test('receiver killed and restarted 20 times at ~20,000 events/s: every id arrives', async (t) => {
  t.setTimeout(40_000);
  const port = await freePort();
  const receivers = new Receivers(port);
  await receivers.start();
  const { sink } = spoolSink(port, {});
  // A socket destroyed under the sink once let it pull the whole spool into memory: sample all along.
  let maxBuffered = 0;
  const sampler = setInterval(() => {
    maxBuffered = Math.max(maxBuffered, sink.bufferedBytes);
  }, 2);
  let next = 0;
  let writing = true;
  const writer = (async () => {
    // 200 records every 10 ms: about 20,000 events/s.
    while (writing) {
      for (let i = 0; i < 200; i++) sink.write(record(next++));
      await sleep(10);
    }
  })();
  for (let cycle = 0; cycle < 20; cycle++) {
    await sleep(200);
    await receivers.stop();
    await sleep(80);
    await receivers.start();
  }
  writing = false;
  await writer;
  const total = next;
  t.ok(total > 60_000, `${total} events written`);
  await receivers
    .current!.until(() => new Set(idsOf(receivers.messages())).size >= total, 20_000)
    .catch(() => {});
  const ids = idsOf(receivers.messages());
  const seen = new Set(ids);
  const missing = [];
  for (let id = 0; id < total; id++) if (!seen.has(id)) missing.push(id);
  t.same(missing.slice(0, 10), [], 'no id is missing');
  const duplicates = ids.length - seen.size;
  const stats = sink.stats;
  // Per disconnect at most the replay window (2 MiB with a spool) plus what was in flight (2 x 64 KiB) comes again.
  const recordBytes = record(0).length + 1;
  const bound = 21 * Math.ceil((2048 * 1024 + 2 * 64 * 1024) / recordBytes);
  t.ok(duplicates <= bound, `${duplicates} duplicates <= ${bound}`);
  t.ok(stats.replayed > 0 && stats.replayed <= bound, `replayed ${stats.replayed}`);
  t.ok(stats.reconnects >= 20, `${stats.reconnects} reconnects`);
  clearInterval(sampler);
  t.ok(maxBuffered <= MEMORY_BOUND, `buffered at most ${maxBuffered} bytes`);
  await sink.end({ timeoutMs: 5000 });
  await receivers.stop();
});

t.test(
  'receiver down longer than the memory bound: memory stays bounded, spool drains in order',
  async (t) => {
    t.setTimeout(30_000);
    const port = await freePort();
    const { sink, disk } = spoolSink(port, {}, { maxBufferBytes: 256 * 1024 });
    const heapBefore = process.memoryUsage().heapUsed;
    let maxBuffered = 0;
    const total = 120_000; // ~27 MB of records: 100 times the memory bound
    for (let id = 0; id < total; id++) {
      sink.write(record(id));
      if (id % 1000 === 0) {
        maxBuffered = Math.max(maxBuffered, sink.bufferedBytes);
        await sleep(0);
      }
    }
    await sink.flush();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    t.equal(maxBuffered, 0, 'nothing buffered in memory while the receiver is down');
    t.ok(heapGrowth < 64 * 1024 * 1024, `heap grew ${(heapGrowth / 1048576).toFixed(1)} MB`);
    t.ok(disk.stats.bytes > 20 * 1024 * 1024, `spool holds ${disk.stats.bytes} bytes`);
    t.equal(sink.stats.spooled, total);
    const receiver = await startReceiver({ port });
    t.teardown(() => receiver.close());
    await receiver.until(() => {
      maxBuffered = Math.max(maxBuffered, sink.bufferedBytes);
      return receiver.messages('lf').length >= total;
    }, 20_000);
    t.ok(maxBuffered <= 4 * 64 * 1024, `buffered at most ${maxBuffered} bytes while draining`);
    const ids = idsOf(receiver.messages('lf'));
    t.equal(ids.length, total);
    t.ok(
      ids.every((id, i) => id === i),
      'in order, none twice',
    );
    t.equal(sink.stats.spooled, 0);
    await sink.end({ timeoutMs: 5000 });
    t.ok(disk.stats.segments <= 1, 'acknowledged segments deleted');
  },
);

/** Runs the writer fixture; resolves its process and a getter of the last acknowledged id. */
function writerProcess(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../fixtures/spool-writer.ts'), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let acked = -1;
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const m of out.matchAll(/acked (\d+)\n/g)) acked = Math.max(acked, Number(m[1]));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, acked: () => acked, output: () => out, exited };
}

t.test('writer killed with SIGKILL mid-stream: a new process delivers everything acknowledged', async (t) => {
  t.setTimeout(45_000);
  const port = await freePort();
  const dir = tempDir();
  let receiver = await startReceiver({ port });
  const received: string[] = [];
  const first = writerProcess([String(port), dir, '0', '1000000']);
  const waitAcked = async (n: number) => {
    while (first.acked() < n) await sleep(10);
  };
  await waitAcked(5000);
  // Receiver goes away while the writer keeps going: a backlog builds in the spool.
  await receiver.close();
  received.push(...receiver.messages('lf'));
  await waitAcked(15_000);
  first.child.kill('SIGKILL');
  await first.exited;
  const lastAcked = first.acked();
  t.ok(lastAcked >= 15_000, `acknowledged up to ${lastAcked}`);
  receiver = await startReceiver({ port });
  t.teardown(() => receiver.close());
  const second = writerProcess([String(port), dir, '2000000', '1000', 'drain']);
  t.equal(await second.exited, 0);
  t.match(second.output(), /drained /);
  const ids = new Set(idsOf([...received, ...receiver.messages('lf')]));
  const missing = [];
  for (let id = 0; id <= lastAcked; id++) if (!ids.has(id)) missing.push(id);
  t.same(missing.slice(0, 10), [], `all ${lastAcked + 1} acknowledged ids arrived`);
  for (let id = 2_000_000; id < 2_001_000; id++) if (!ids.has(id)) missing.push(id);
  t.same(missing.slice(0, 10), [], 'and the second process own records');
  const stats = JSON.parse(/drained (.*)\n/.exec(second.output())![1]!) as { resent: number };
  t.ok(stats.resent >= 0);
});

t.test('a corrupted segment: reported with code and position, the rest delivered', async (t) => {
  const port = await freePort();
  const dir = tempDir();
  const writer = spoolSink(port, { path: dir, segmentBytes: 64 * 1024 });
  for (let id = 0; id < 2000; id++) writer.sink.write(record(id));
  writer.sink.destroy(); // closes the spool; everything stays on disk
  const segment = readdirSync(dir)
    .filter((n) => n.endsWith('.seg'))
    .sort()[1]!;
  const file = join(dir, segment);
  const data = readFileSync(file);
  data[5000] = data[5000]! ^ 0x55; // somewhere in the middle of a record
  writeFileSync(file, data.subarray(0, data.length - 100)); // and a torn tail
  const receiver = await startReceiver({ port });
  t.teardown(() => receiver.close());
  const errors: SpoolCorruptError[] = [];
  const disk = DiskSpool.open({ path: dir, fsyncIntervalMs: null });
  disk.on('corrupt', (e) => errors.push(e));
  const sink = new SyslogSink({
    destinations: [{ host: '127.0.0.1', port }],
    header: { style: 'none' },
    spool: disk,
  });
  await sink.end({ timeoutMs: 10_000 });
  const ids = idsOf(receiver.messages('lf'));
  t.equal(errors.length, 2);
  t.match(errors[0], { code: 'SIEMKIT_ERR_SPOOL_CORRUPT', fields: { segment, reason: 'bad-checksum' } });
  t.ok(
    errors[0]!.fields.offset <= 5000 && errors[0]!.fields.offset > 4000,
    `offset ${errors[0]!.fields.offset}`,
  );
  t.match(errors[1], { fields: { segment, reason: 'truncated' } });
  t.ok(ids.length >= 2000 - 3 && ids.length < 2000, `${ids.length} of 2000 delivered`);
  t.ok(
    ids.every((id, i) => i === 0 || id > ids[i - 1]!),
    'in order',
  );
  t.equal(sink.stats.spoolCorruptions, 2);
});

t.test('a full spool: drops are counted per kind and one summary record reaches the SIEM', async (t) => {
  const port = await freePort();
  const { sink } = spoolSink(port, { maxBytes: 1 << 20 });
  const kinds = ['audit', 'alert', 'client-record'];
  const total = 20_000; // ~5 MB into 1 MiB
  for (let id = 0; id < total; id++)
    sink.write(record(id), { kind: kinds[id % 3], epochMs: 1_700_000_000_000 + id });
  await sink.flush();
  const { dropped, droppedByKind } = sink.stats;
  t.ok(dropped > 10_000, `${dropped} dropped`);
  t.equal(droppedByKind.audit! + droppedByKind.alert! + droppedByKind['client-record']!, dropped);
  const receiver = await startReceiver({ port });
  t.teardown(() => receiver.close());
  await receiver.until(() => receiver.messages('lf').length >= total - dropped + 1, 10_000);
  const [summary, ...rest] = receiver.messages('lf');
  t.match(summary, /^CEF:0\|siemkit\|siemkit\|[^|]+\|siemkit-dropped\|siemkit events dropped\|8\|/);
  t.match(summary, new RegExp(`cnt=${dropped} start=1700000000000 `));
  t.match(summary, `cs1=alert:${droppedByKind.alert}, audit:${droppedByKind.audit}, client-record:`);
  const ids = idsOf(rest);
  t.equal(ids.length, total - dropped);
  t.equal(ids[0], dropped, 'the oldest were dropped');
  await sink.end({ timeoutMs: 5000 });
});

t.test('a socket destroyed mid-pump: the sink stops reading the spool at its in-flight bound', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  let connections = 0;
  // The first connection's socket is destroyed during its 3rd write, inside the sink's write loop: what a
  // write into a reset connection (EPIPE) does. Later writes in that loop see a destroyed socket.
  const connect: SyslogConnectFn = async (target, options) => {
    const socket = await openSyslogConnection(target, options);
    if (++connections === 1) {
      let writes = 0;
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        if (++writes === 3) socket.destroy();
        return write(...args);
      }) as typeof socket.write;
    }
    return socket;
  };
  const { sink } = spoolSink(receiver.port, {}, { connect });
  let maxBuffered = 0;
  const sampler = setInterval(() => {
    maxBuffered = Math.max(maxBuffered, sink.bufferedBytes);
  }, 1);
  await new Promise<void>((resolve) => sink.once('connect', () => resolve()));
  for (let id = 0; id < 40_000; id++) sink.write(record(id));
  await receiver.until(() => new Set(idsOf(receiver.messages('lf'))).size === 40_000, 15_000);
  clearInterval(sampler);
  t.ok(maxBuffered <= MEMORY_BOUND, `buffered at most ${maxBuffered} bytes (backlog ~10 MB)`);
  await sink.end({ timeoutMs: 5000 });
});
