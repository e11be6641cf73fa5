// Raw syslog delivery over net/tls sockets, for the harness until SyslogSink lands on main.
import net from 'node:net';
import tls from 'node:tls';

export type Framing = 'lf' | 'octet-counting';

/** RFC 5424 header with nil structured data; the body starts right after it. */
export const rfc5424 = (body: string, seq: number): string =>
  `<110>1 2024-06-01T12:00:00.${String(seq % 1000).padStart(3, '0')}Z interop-host siemkit - - - ${body}`;

/** RFC 6587 framing: octet counting counts UTF-8 bytes, not UTF-16 code units. */
export function frame(message: string, framing: Framing): string {
  return framing === 'lf' ? `${message}\n` : `${Buffer.byteLength(message)} ${message}`;
}

export interface SendOptions {
  port: number;
  framing: Framing;
  /** PEM CA to verify the receiver; setting it switches to TLS. */
  ca?: string;
}

/** Writes every message on one connection and resolves once the socket has closed cleanly. */
export function sendSyslog(messages: readonly string[], options: SendOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = options.ca
      ? tls.connect({ host: '127.0.0.1', port: options.port, ca: [options.ca], servername: 'localhost' })
      : net.connect({ host: '127.0.0.1', port: options.port });
    socket.once(options.ca ? 'secureConnect' : 'connect', () => {
      socket.end(messages.map((m) => frame(m, options.framing)).join(''));
    });
    socket.once('error', reject);
    socket.once('close', (hadError) => (hadError ? undefined : resolve()));
  });
}
