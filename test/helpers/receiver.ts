// A loopback syslog receiver for tests: plain TCP or TLS, keeps every connection's bytes and parses frames.
import { once } from 'node:events';
import { type AddressInfo, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';

export interface ReceivedConnection {
  socket: Socket;
  bytes: Buffer[];
  /** TLS only: whether the client presented a certificate the server trusts. */
  authorized?: boolean;
  peerCn?: string;
}

export interface Receiver {
  readonly port: number;
  readonly server: Server;
  readonly connections: ReceivedConnection[];
  /** Complete frames of every connection, in connection order. */
  messages(framing: 'octet-counting' | 'lf'): string[];
  totalBytes(): number;
  /** Stops accepting and destroys every open connection. */
  close(): Promise<void>;
  /** Destroys the open connections but keeps listening. */
  dropConnections(): void;
  /** Resolves when `predicate` holds, polling. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
}

export function parseFrames(data: Buffer, framing: 'octet-counting' | 'lf'): string[] {
  const out: string[] = [];
  if (framing === 'lf') {
    let start = 0;
    for (let i = data.indexOf(0x0a); i !== -1; i = data.indexOf(0x0a, start)) {
      out.push(data.subarray(start, i).toString('utf8'));
      start = i + 1;
    }
    return out;
  }
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const lengthText = data.subarray(offset, space).toString('latin1');
    if (!/^[1-9]\d*$/.test(lengthText))
      throw new Error(`bad frame header ${JSON.stringify(lengthText)} at ${offset}`);
    const end = space + 1 + Number(lengthText);
    if (end > data.length) break;
    out.push(data.subarray(space + 1, end).toString('utf8'));
    offset = end;
  }
  return out;
}

export async function startReceiver(options: { tls?: TlsOptions; port?: number } = {}): Promise<Receiver> {
  const connections: ReceivedConnection[] = [];
  const onConnection = (socket: Socket) => {
    const conn: ReceivedConnection = { socket, bytes: [] };
    if (options.tls) {
      const secure = socket as TLSSocket;
      conn.authorized = secure.authorized;
      const peer = secure.getPeerCertificate();
      if (peer?.subject) conn.peerCn = peer.subject.CN as string;
    }
    connections.push(conn);
    socket.on('data', (chunk: Buffer) => conn.bytes.push(chunk));
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
  };
  const server = options.tls ? createTlsServer(options.tls, onConnection) : createTcpServer(onConnection);
  if (options.tls) server.on('tlsClientError', () => {});
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const receiver: Receiver = {
    port,
    server,
    connections,
    messages: (framing) => connections.flatMap((c) => parseFrames(Buffer.concat(c.bytes), framing)),
    totalBytes: () => connections.reduce((sum, c) => sum + c.bytes.reduce((s, b) => s + b.length, 0), 0),
    dropConnections: () => {
      for (const c of connections) c.socket.destroy();
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      receiver.dropConnections();
      await closed;
    },
    until: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('receiver.until timed out');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
  return receiver;
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
