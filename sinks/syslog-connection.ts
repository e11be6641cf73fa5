// The one function that opens a syslog connection. SyslogSink and testConnection both call it, so Test Connection
// cannot pass while real sending fails (field-notes E: rsyslog #5094).
import { lookup as dnsLookup } from 'node:dns/promises';
import type { EventEmitter } from 'node:events';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkServerIdentity, type PeerCertificate, type TLSSocket, connect as tlsConnect } from 'node:tls';
import {
  CONNECTION_ERROR_CODES,
  type ConnectionStep,
  connectionError,
  toConnectionError,
} from './connection-errors.js';

/** One receiver. */
export interface SyslogTarget {
  host: string;
  port: number;
}

/** How to authenticate the receiver (and ourselves) over TLS. Verification is always on. */
export interface SyslogTlsOptions {
  /** PEM trust anchors: the CA that signed the server, or the server's self-signed certificate; system CAs when absent. */
  ca?: string | Buffer | null;
  /** PEM client certificate for mutual TLS. */
  cert?: string | Buffer | null;
  /** PEM key of `cert`. */
  key?: string | Buffer | null;
  /** sha256 fingerprint the server certificate must have (hex, colons and case ignored, optional `sha256:`). */
  fingerprint?: string | null;
  /** Name to send as SNI and to verify, for a host that is an IP the certificate does not carry. */
  serverName?: string | null;
  /** @defaultValue `'TLSv1.2'` */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** Options of {@link openSyslogConnection}. */
export interface OpenConnectionOptions {
  /** TLS settings, or `null` for plain TCP. */
  tls: SyslogTlsOptions | null;
  /** Whole budget for resolve + connect + TLS handshake. */
  connectTimeoutMs: number;
  /** TCP keepalive probe delay. @defaultValue `15000` */
  keepAliveMs?: number;
  /**
   * TLS 1.3 servers reject a client certificate only after the client has finished its handshake, so a refusal
   * arrives as an alert a round trip later. The connection is handed over once a session ticket arrives (the
   * server accepted us) or, failing that, after this long without an alert. @defaultValue `250`
   */
  tls13SettleMs?: number;
  /** Name resolution seam. @defaultValue `dns.promises.lookup` */
  lookup?: (host: string) => Promise<{ address: string; family: number }>;
  /** Told when each step succeeds, with its duration. */
  onStep?: (step: ConnectionStep, ms: number, detail: Record<string, unknown>) => void;
}

/** The I/O seam of SyslogSink: opens a ready-to-write connection or rejects with a `SyslogConnectionError`. */
export type SyslogConnectFn = (target: SyslogTarget, options: OpenConnectionOptions) => Promise<Socket>;

/** Upper-case hex without separators or `sha256:` prefix. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint
    .replace(/^sha256:/i, '')
    .replace(/:/g, '')
    .toUpperCase();
}

/** Waits for `ok` on `emitter`; rejects on `error`, or on `close`/`end` with what `onClose` builds. */
function waitFor<T>(emitter: EventEmitter, ok: string, onClose: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      emitter.off(ok, onOk);
      emitter.off('error', onError);
      emitter.off('close', onEnd);
      emitter.off('end', onEnd);
    };
    const onOk = (value: T) => {
      cleanup();
      resolve(value);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onEnd = () => {
      cleanup();
      reject(onClose());
    };
    emitter.on(ok, onOk);
    emitter.on('error', onError);
    emitter.on('close', onEnd);
    emitter.on('end', onEnd);
  });
}

/**
 * Resolves `target.host`, connects, and with TLS performs the verified handshake (chain against `tls.ca` or the
 * system CAs, validity period, host name or `serverName`, sha256 pin, client certificate), then returns the
 * socket with keepalive on and Nagle off. It never falls back to plaintext and never skips verification.
 * Rejects with a `SyslogConnectionError` whose `code` and `fields.step` say what failed.
 *
 * @example
 * ```ts
 * import { openSyslogConnection } from 'siemkit/sinks';
 * const socket = await openSyslogConnection({ host: 'siem.example.com', port: 6514 },
 *   { tls: { ca: pem }, connectTimeoutMs: 10_000 });
 * ```
 */
export async function openSyslogConnection(
  target: SyslogTarget,
  options: OpenConnectionOptions,
): Promise<Socket> {
  const tls = options.tls;
  const hasClientCert = Boolean(tls?.cert);
  let step: ConnectionStep = 'resolve';
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;

  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(
        connectionError(
          CONNECTION_ERROR_CODES.timeout,
          target,
          step,
          `no answer within ${options.connectTimeoutMs} ms (during ${step})`,
        ),
      );
    }, options.connectTimeoutMs);
  });

  const steps = async (): Promise<Socket> => {
    let started = performance.now();
    const lookup = options.lookup ?? ((host: string) => dnsLookup(host));
    const resolved = isIP(target.host)
      ? { address: target.host, family: isIP(target.host) }
      : await lookup(target.host);
    if (timedOut) throw new Error('timed out');
    options.onStep?.('resolve', performance.now() - started, { address: resolved.address });

    step = 'connect';
    started = performance.now();
    const tcp = tcpConnect({ host: resolved.address, port: target.port, family: resolved.family });
    socket = tcp;
    await waitFor(tcp, 'connect', () =>
      connectionError(CONNECTION_ERROR_CODES.reset, target, 'connect', 'closed while connecting'),
    );
    tcp.setKeepAlive(true, options.keepAliveMs ?? 15_000);
    tcp.setNoDelay(true);
    options.onStep?.('connect', performance.now() - started, { address: resolved.address });
    if (!tls) return tcp;

    step = 'tls';
    started = performance.now();
    const secure = openTls(tcp, target, tls);
    socket = secure;
    await waitFor(secure, 'secureConnect', () =>
      connectionError(
        CONNECTION_ERROR_CODES.reset,
        target,
        'tls',
        'the receiver closed the connection during the TLS handshake',
      ),
    );
    const handshakeMs = performance.now() - started;
    if (secure.getProtocol() === 'TLSv1.3')
      await settle(secure, target, hasClientCert, options.tls13SettleMs ?? 250);
    const cert = secure.getPeerCertificate();
    options.onStep?.('tls', performance.now() - started, {
      protocol: secure.getProtocol(),
      cipher: secure.getCipher()?.name,
      handshakeMs,
      subject: cert.subject?.CN,
      fingerprint256: cert.fingerprint256,
      validTo: cert.valid_to,
    });
    return secure;
  };

  try {
    return await Promise.race([steps(), timeout]);
  } catch (error) {
    socket?.destroy();
    throw toConnectionError(error, target, step, hasClientCert);
  } finally {
    clearTimeout(timer);
  }
}

function openTls(tcp: Socket, target: SyslogTarget, tls: SyslogTlsOptions): TLSSocket {
  const pin = tls.fingerprint ? normalizeFingerprint(tls.fingerprint) : null;
  // SNI must be a name, never an IP (RFC 6066); the identity check uses servername, else host.
  const servername = tls.serverName ?? (isIP(target.host) ? undefined : target.host);
  try {
    return tlsConnect({
      socket: tcp,
      host: target.host,
      ...(servername ? { servername } : {}),
      ...(tls.ca ? { ca: [tls.ca] } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      minVersion: tls.minVersion ?? 'TLSv1.2',
      rejectUnauthorized: true,
      // Runs inside the handshake after the chain verified; an error here aborts it before any record is sent.
      checkServerIdentity: (name: string, cert: PeerCertificate) => {
        const nameError = checkServerIdentity(name, cert);
        if (nameError) return nameError;
        if (pin && normalizeFingerprint(cert.fingerprint256) !== pin) {
          return connectionError(
            CONNECTION_ERROR_CODES.pinMismatch,
            target,
            'tls',
            `server certificate sha256 ${cert.fingerprint256} does not match the pinned fingerprint`,
            { actualFingerprint: cert.fingerprint256 },
          );
        }
        return undefined;
      },
    });
  } catch (error) {
    // Bad PEM or a key that does not match its certificate throws synchronously.
    throw toConnectionError(error, target, 'tls', Boolean(tls.cert));
  }
}

/** Waits for a TLS 1.3 session ticket (accepted), an alert (rejected) or `settleMs` of silence. */
function settle(
  secure: TLSSocket,
  target: SyslogTarget,
  hasClientCert: boolean,
  settleMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let finished = false;
    const done = (error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      secure.off('session', onSession);
      secure.off('error', done);
      secure.off('end', onEnd);
      secure.off('close', onEnd);
      if (error) reject(error);
      else resolve();
    };
    // Leave the 'session' callback before anything writes: it runs inside OpenSSL's read of the ticket, and a
    // write from there (even in a microtask) re-enters OpenSSL and corrupts the record (peer: bad_record_mac).
    const onSession = () => setImmediate(done);
    const onEnd = () =>
      done(
        connectionError(
          hasClientCert ? CONNECTION_ERROR_CODES.clientCertRejected : CONNECTION_ERROR_CODES.closed,
          target,
          'tls',
          'the receiver closed the connection right after the handshake',
        ),
      );
    const timer = setTimeout(() => done(), settleMs);
    secure.on('session', onSession);
    secure.on('error', done);
    secure.on('end', onEnd);
    secure.on('close', onEnd);
  });
}
