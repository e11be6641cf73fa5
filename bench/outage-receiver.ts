// Child process for bench/outage.bench.ts: a plain TCP syslog receiver (LF framing) that notes every
// `externalId=N` it sees, can be stopped (connections destroyed, port closed) and started again on the same
// port, and reports how many distinct ids arrived and how many came twice.
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

const seen = new Uint8Array(Number(process.env.OUTAGE_MAX_ID ?? 20_000_000));
let distinct = 0;
let duplicates = 0;
let records = 0;
const sockets = new Set<Socket>();
const MARK = Buffer.from('externalId=');

function onConnection(socket: Socket): void {
  sockets.add(socket);
  let rest = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let lf = data.indexOf(10, start); lf !== -1; lf = data.indexOf(10, start)) {
      records++;
      const at = data.indexOf(MARK, start);
      if (at !== -1 && at < lf) {
        let id = 0;
        for (let i = at + MARK.length; i < lf; i++) {
          const c = data[i]!;
          if (c < 48 || c > 57) break;
          id = id * 10 + (c - 48);
        }
        if (seen[id]) duplicates++;
        else {
          seen[id] = 1;
          distinct++;
        }
      }
      start = lf + 1;
    }
    rest = Buffer.from(data.subarray(start));
  });
  socket.on('error', () => {});
  socket.on('close', () => sockets.delete(socket));
}

let server: Server | undefined;
let port = 0;
function start(): void {
  server = createServer(onConnection).listen(port, '127.0.0.1', () => {
    port = (server!.address() as AddressInfo).port;
    process.send!({ type: 'started', port });
  });
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'start') start();
  else if (m.type === 'stop') {
    server?.close(() => process.send!({ type: 'stopped' }));
    for (const s of sockets) s.destroy();
  } else if (m.type === 'report') process.send!({ type: 'report', distinct, duplicates, records });
  else if (m.type === 'exit') process.exit(0);
});
start();
