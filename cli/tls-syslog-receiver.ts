import type { AddressInfo } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { OctetCountingParser } from './octet-counting-parser.js';

/** A TLS syslog receiver listening on loopback; see {@link startTlsSyslogReceiver}. */
export interface TlsSyslogReceiver {
  host: string;
  port: number;
  /** Messages received so far (octet-counting frames, decoded as UTF-8). */
  readonly count: number;
  /** Framing errors seen (a connection is dropped at its first one). */
  readonly errors: string[];
  /** Resolves once `count` reaches `n`, or false after `timeoutMs`. */
  waitFor(n: number, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Starts a TLS syslog receiver on `127.0.0.1` and a free port, for the demo and tests: it parses
 * octet-counting frames and passes each message to `onMessage`.
 */
export async function startTlsSyslogReceiver(options: {
  cert: string;
  key: string;
  onMessage?: (message: string) => void;
  port?: number;
}): Promise<TlsSyslogReceiver> {
  let count = 0;
  const errors: string[] = [];
  const waiters: { n: number; resolve: (ok: boolean) => void }[] = [];
  const sockets = new Set<TLSSocket>();
  const server = createServer({ cert: options.cert, key: options.key }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a client going away mid-frame is the client's business
    const parser = new OctetCountingParser();
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = parser.push(chunk);
      } catch (error) {
        errors.push((error as Error).message);
        socket.destroy();
        return;
      }
      for (const message of messages) {
        count++;
        options.onMessage?.(message.toString('utf8'));
      }
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (count >= waiters[i]!.n) waiters.splice(i, 1)[0]!.resolve(true);
      }
    });
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get count() {
      return count;
    },
    errors,
    waitFor(n, timeoutMs) {
      if (count >= n) return Promise.resolve(true);
      return new Promise((resolve) => {
        const waiter = {
          n,
          resolve: (ok: boolean) => {
            clearTimeout(timer);
            resolve(ok);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          resolve(false);
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
