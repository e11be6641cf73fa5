// Child process for bench/e2e.bench.ts: loopback receivers that count records (not bytes, since each sender
// writes its own header and framing), so every sender is measured against the same receiving process.
//   tls-octet: TLS, RFC 5425 octet counting (siemkit's default over TLS)
//   tls-lf, tcp-lf: one record per LF (the floor, winston-syslog with `eol`, pino-socket)
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export type ReceiverKind = 'tls-octet' | 'tls-lf' | 'tcp-lf';
const KINDS: readonly ReceiverKind[] = ['tls-octet', 'tls-lf', 'tcp-lf'];
const received: Record<ReceiverKind, number> = { 'tls-octet': 0, 'tls-lf': 0, 'tcp-lf': 0 };
const waiting: Array<{ kind: ReceiverKind; records: number; id: number }> = [];

function settle(kind: ReceiverKind): void {
  for (let i = waiting.length - 1; i >= 0; i--) {
    const w = waiting[i]!;
    if (w.kind === kind && received[kind] >= w.records) {
      waiting.splice(i, 1);
      process.send!({ type: 'reached', id: w.id });
    }
  }
}

function countLines(kind: ReceiverKind) {
  return (socket: Socket) => {
    socket.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) received[kind]++;
      settle(kind);
    });
    socket.on('error', () => {});
  };
}

/** `LEN SP MSG` frames, split anywhere across reads. */
function countOctetFrames(kind: ReceiverKind) {
  return (socket: Socket) => {
    let length = 0;
    let remaining = 0;
    socket.on('data', (chunk: Buffer) => {
      let i = 0;
      while (i < chunk.length) {
        if (remaining > 0) {
          const take = Math.min(remaining, chunk.length - i);
          i += take;
          remaining -= take;
          if (remaining === 0) received[kind]++;
          continue;
        }
        const c = chunk[i++]!;
        if (c === 0x20) {
          remaining = length;
          length = 0;
        } else {
          length = length * 10 + (c - 48);
        }
      }
      settle(kind);
    });
    socket.on('error', () => {});
  };
}

const { cert, key } = JSON.parse(process.env.BENCH_TLS ?? '{}') as { cert: string; key: string };
const servers: Record<ReceiverKind, Server> = {
  'tls-octet': createTlsServer({ cert, key }, countOctetFrames('tls-octet')),
  'tls-lf': createTlsServer({ cert, key }, countLines('tls-lf')),
  'tcp-lf': createServer(countLines('tcp-lf')),
};
let listening = 0;
for (const kind of KINDS) {
  servers[kind].listen(0, '127.0.0.1', () => {
    if (++listening < KINDS.length) return;
    const ports = Object.fromEntries(KINDS.map((k) => [k, (servers[k].address() as AddressInfo).port]));
    process.send!({ type: 'ready', ports });
  });
}

process.on('message', (m: { type: string; kind: ReceiverKind; records: number; id: number }) => {
  if (m.type === 'wait') {
    waiting.push(m);
    settle(m.kind);
  } else if (m.type === 'count') {
    process.send!({ type: 'count', id: m.id, records: received[m.kind] });
  } else if (m.type === 'exit') {
    process.exit(0);
  }
});
