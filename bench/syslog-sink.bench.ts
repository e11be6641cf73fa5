// TLS SyslogSink against batched plain TCP: a loop doing the same per-record work (syslog header, octet-counting
// frame into 64 KiB Buffers, the same framer) and writing each batch to a plain TCP socket. The same loop over TLS
// is the raw-TLS ceiling (performance.md: 0.59x batched TCP). Pre-framed chunks (no per-record work) show the
// transports alone. Receivers run in a child process. Target (performance.md): TLS sink >= 0.6x batched TCP.
// Earlier the baseline was the pre-framed TCP case: a sender doing no per-record work at all, which no sink
// can approach (it put the sink at 0.13-0.22x while the raw TLS ceiling itself was 0.33-0.45x of it).
import { fork } from 'node:child_process';
import { type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createFramer } from '../lib/framing.js';
import { createSyslogHeaderPrefix } from '../lib/syslog-header.js';
import { SyslogSink } from '../sinks/syslog-sink.js';
import { makeCa, makeLeaf } from '../test/helpers/certs.js';
import { race, report } from './harness.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const T0 = Date.UTC(2024, 5, 1, 12, 0, 0, 123);

// About 466 bytes per CEF line, 20% with non-ASCII text (performance.md's workload).
function makeRecords(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const user = i % 5 === 0 ? `jürgen.müller${i % 97}` : `user${i % 97}`;
    out.push(
      `CEF:0|Ekran|Ekran System|7.0|100|EkranClientEvent|3|rt=${T0 + i} cat=ClientEvents suser=${user} ` +
        `shost=workstation-${i % 31}.corp.example.com src=10.0.${i % 255}.${(i * 7) % 255} ` +
        `app=C:\\\\Program Files\\\\Office\\\\excel.exe requestClientApplication=Microsoft Excel ` +
        `cs1Label=Window title cs1=Quarterly report ${i} - Excel deviceExternalId=${100000 + i} ` +
        `cs2Label=URL cs2=https://intranet.example.com/reports/q${i % 4}?id\\=${i} msg=Application activity ${i}`,
    );
  }
  return out;
}

const header = {
  style: 'rfc5424' as const,
  hostname: 'bench-host.example.com',
  appName: 'siemkit',
  procId: 4242,
};

function preformat(records: string[]): { chunks: Buffer[]; bytes: number } {
  const addHeader = createSyslogHeaderPrefix(header);
  const framer = createFramer('octet-counting');
  const chunks: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(65536);
  let used = 0;
  let bytes = 0;
  for (const r of records) {
    const head = addHeader(T0, 3);
    let n = framer.frameInto(chunk, used, r, head);
    if (n < 0) {
      chunks.push(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(65536);
      used = 0;
      n = framer.frameInto(chunk, 0, r, head);
    }
    used += n;
    bytes += n;
  }
  chunks.push(chunk.subarray(0, used));
  return { chunks, bytes };
}

async function main(): Promise<void> {
  const ca = await makeCa();
  const leaf = await makeLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], ca });
  const child = fork(new URL('./loopback-receiver.ts', import.meta.url), {
    // BENCH_RECEIVER_ARGS='--cpu-prof' profiles the receiver too.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_RECEIVER_ARGS?.split(' ') ?? [])],
    env: { ...process.env, BENCH_TLS: JSON.stringify(leaf) },
  });
  const { tcpPort, tlsPort } = await new Promise<{ tcpPort: number; tlsPort: number }>((resolve) =>
    child.once('message', (m) => resolve(m as { tcpPort: number; tlsPort: number })),
  );
  let nextId = 0;
  const sentTo = { tcp: 0, tls: 0 };
  const receiverReached = (kind: 'tcp' | 'tls', bytes: number) =>
    new Promise<void>((resolve) => {
      const id = nextId++;
      const onMessage = (m: { type: string; id: number }) => {
        if (m.type === 'reached' && m.id === id) {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.send({ type: 'wait', kind, bytes, id });
    });

  const records = makeRecords(EVENTS);
  const { chunks, bytes } = preformat(records);

  // What a straightforward batching sender does per round: frame every record into fresh 64 KiB Buffers.
  const writeBatched = async (socket: Socket, kind: 'tcp' | 'tls') => {
    const addHeader = createSyslogHeaderPrefix(header);
    const framer = createFramer('octet-counting');
    let batch = Buffer.allocUnsafe(65536);
    let used = 0;
    for (const r of records) {
      let n = framer.frameInto(batch, used, r, addHeader(T0, 3));
      if (n < 0) {
        if (!socket.write(batch.subarray(0, used))) await new Promise((ok) => socket.once('drain', ok));
        batch = Buffer.allocUnsafe(65536);
        used = 0;
        n = framer.frameInto(batch, 0, r, addHeader(T0, 3));
      }
      used += n;
    }
    socket.write(batch.subarray(0, used));
    sentTo[kind] += bytes;
    await receiverReached(kind, sentTo[kind]);
    return EVENTS;
  };

  const writeChunks = async (socket: Socket, kind: 'tcp' | 'tls') => {
    for (const c of chunks) if (!socket.write(c)) await new Promise((r) => socket.once('drain', r));
    sentTo[kind] += bytes;
    await receiverReached(kind, sentTo[kind]);
    return EVENTS;
  };

  const tcpSocket = tcpConnect({ host: '127.0.0.1', port: tcpPort });
  await new Promise((r) => tcpSocket.once('connect', r));
  tcpSocket.setNoDelay(true);
  const tlsSocket = tlsConnect({ host: '127.0.0.1', port: tlsPort, ca: [ca.cert] });
  await new Promise((r) => tlsSocket.once('secureConnect', r));
  tlsSocket.setNoDelay(true);

  const sink = new SyslogSink({
    destinations: [{ host: '127.0.0.1', port: tlsPort }],
    tls: { ca: ca.cert },
    header,
  });
  await new Promise((r) => sink.once('connect', r));

  const result = await race(
    'syslog-sink', // records -> sink -> loopback receiver (child process); the key bench/targets.ts looks up
    'events',
    [
      { name: 'plain TCP, framed into 64 KiB batches', run: () => writeBatched(tcpSocket, 'tcp') },
      { name: 'TLS, framed into 64 KiB batches', run: () => writeBatched(tlsSocket, 'tls') },
      { name: 'plain TCP, pre-framed 64 KiB chunks', run: () => writeChunks(tcpSocket, 'tcp') },
      { name: 'TLS, pre-framed 64 KiB chunks', run: () => writeChunks(tlsSocket, 'tls') },
      {
        name: 'TLS SyslogSink (header+framing+batching)',
        run: async () => {
          for (let i = 0; i < EVENTS; i++) {
            if (!sink.write(records[i]!, { epochMs: T0, severity: 3 }))
              await new Promise<void>((r) => sink.once('drain', r));
          }
          await sink.flush();
          sentTo.tls += bytes;
          await receiverReached('tls', sentTo.tls);
          return EVENTS;
        },
      },
    ],
    { rounds: Number(process.env.BENCH_ROUNDS ?? 11), warmup: 2 },
  );
  report(result);
  if (sink.stats.writtenBytes % bytes !== 0) throw new Error('sink bytes differ from the baseline bytes');
  await sink.end();
  tcpSocket.end();
  tlsSocket.end();
  child.send({ type: 'exit' });
}

await main();
