// Child process for bench/syslog-sink.bench.ts: a plain TCP and a TLS receiver on loopback that drain and count
// bytes, so the receiving side does not share the sender's CPU thread.
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

type Kind = 'tcp' | 'tls';
const received: Record<Kind, number> = { tcp: 0, tls: 0 };
const waiting: Array<{ kind: Kind; bytes: number; id: number }> = [];

function count(kind: Kind) {
  return (socket: Socket) => {
    socket.on('data', (chunk: Buffer) => {
      received[kind] += chunk.length;
      for (let i = waiting.length - 1; i >= 0; i--) {
        const w = waiting[i]!;
        if (w.kind === kind && received[kind] >= w.bytes) {
          waiting.splice(i, 1);
          process.send!({ type: 'reached', id: w.id });
        }
      }
    });
    socket.on('error', () => {});
  };
}

const { cert, key } = JSON.parse(process.env.BENCH_TLS ?? '{}') as { cert: string; key: string };
const tcp = createServer(count('tcp')).listen(0, '127.0.0.1');
const tls = createTlsServer({ cert, key }, count('tls')).listen(0, '127.0.0.1');
let listening = 0;
const ready = () => {
  if (++listening < 2) return;
  process.send!({
    type: 'ready',
    tcpPort: (tcp.address() as AddressInfo).port,
    tlsPort: (tls.address() as AddressInfo).port,
  });
};
tcp.on('listening', ready);
tls.on('listening', ready);

process.on('message', (m: { type: string; kind: Kind; bytes: number; id: number }) => {
  if (m.type === 'wait') {
    if (received[m.kind] >= m.bytes) process.send!({ type: 'reached', id: m.id });
    else waiting.push(m);
  } else if (m.type === 'exit') {
    process.exit(0);
  }
});
