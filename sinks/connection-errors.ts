// One error class for every way a syslog connection fails, with a stable code per cause and a hint that says
// what to change, so the sink, Test Connection and the CLI report the same thing.
import { SiemkitError } from '../lib/errors.js';

/** The steps of opening a syslog connection and sending through it, in order. */
export type ConnectionStep = 'resolve' | 'connect' | 'tls' | 'send' | 'close';

/** Stable codes of {@link SyslogConnectionError}. */
export const CONNECTION_ERROR_CODES = {
  resolveFailed: 'SIEMKIT_ERR_RESOLVE_FAILED',
  refused: 'SIEMKIT_ERR_CONNECT_REFUSED',
  timeout: 'SIEMKIT_ERR_CONNECT_TIMEOUT',
  unreachable: 'SIEMKIT_ERR_CONNECT_UNREACHABLE',
  connectFailed: 'SIEMKIT_ERR_CONNECT_FAILED',
  reset: 'SIEMKIT_ERR_CONNECTION_RESET',
  closed: 'SIEMKIT_ERR_CONNECTION_CLOSED',
  writeTimeout: 'SIEMKIT_ERR_WRITE_TIMEOUT',
  untrusted: 'SIEMKIT_ERR_TLS_UNTRUSTED',
  nameMismatch: 'SIEMKIT_ERR_TLS_NAME_MISMATCH',
  expired: 'SIEMKIT_ERR_TLS_EXPIRED',
  pinMismatch: 'SIEMKIT_ERR_TLS_PIN_MISMATCH',
  clientCertRequired: 'SIEMKIT_ERR_TLS_CLIENT_CERT_REQUIRED',
  clientCertRejected: 'SIEMKIT_ERR_TLS_CLIENT_CERT_REJECTED',
  tlsConfig: 'SIEMKIT_ERR_TLS_CONFIG',
  handshakeFailed: 'SIEMKIT_ERR_TLS_HANDSHAKE_FAILED',
} as const;
export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[keyof typeof CONNECTION_ERROR_CODES];

/** Fields of a {@link SyslogConnectionError}. */
export interface ConnectionErrorFields {
  host: string;
  port: number;
  /** The step that failed. */
  step: ConnectionStep;
  /** Why, in words (includes the OS or OpenSSL code when there is one). */
  reason: string;
  /** What to change. */
  hint: string;
  /** The OS or OpenSSL code behind it (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, ...), when there is one. */
  systemCode?: string;
  /** Pin mismatch only: the sha256 fingerprint the server presented. */
  actualFingerprint?: string;
}

/** A syslog receiver could not be reached, trusted or written to; `code` names the cause. */
export class SyslogConnectionError extends SiemkitError<ConnectionErrorFields> {
  constructor(code: ConnectionErrorCode, fields: ConnectionErrorFields, options?: { cause?: unknown }) {
    super(code, `${fields.host}:${fields.port} ${fields.step}: ${fields.reason}`, fields, options);
    this.name = 'SyslogConnectionError';
  }
}

const HINTS: Record<ConnectionErrorCode, string> = {
  SIEMKIT_ERR_RESOLVE_FAILED:
    'Check forwarding.host: the name does not resolve from this machine (DNS, /etc/hosts).',
  SIEMKIT_ERR_CONNECT_REFUSED:
    'Nothing listens on forwarding.host:forwarding.port. Check the port (6514 is usual for TLS, 514 for TCP) and that the receiver runs.',
  SIEMKIT_ERR_CONNECT_TIMEOUT:
    'No answer in time. Check firewalls and routing to the receiver; if this happened during TLS, the port may not speak TLS (turn forwarding.tls.enabled to match the receiver).',
  SIEMKIT_ERR_CONNECT_UNREACHABLE:
    'The network or host is unreachable from here. Check forwarding.host, routing and VPNs.',
  SIEMKIT_ERR_CONNECT_FAILED: 'The TCP connection failed. Check forwarding.host and forwarding.port.',
  SIEMKIT_ERR_CONNECTION_RESET:
    'The receiver dropped the connection. Check its logs; a TLS receiver on a plain connection (or the reverse) does this.',
  SIEMKIT_ERR_CONNECTION_CLOSED:
    'The receiver closed the connection. Check its logs: it may reject this client (address allow-list, client certificate) or the framing.',
  SIEMKIT_ERR_WRITE_TIMEOUT:
    'The receiver stopped reading. Check its load, disk and queue; records stay buffered meanwhile.',
  SIEMKIT_ERR_TLS_UNTRUSTED:
    "The server's certificate is not signed by a trusted CA. Set forwarding.tls.serverCertificate to the CA that signed it (or to the server's self-signed certificate).",
  SIEMKIT_ERR_TLS_NAME_MISMATCH:
    "The server's certificate does not carry the name or IP you connect to. Connect by a name it carries, or set forwarding.tls.serverName to that name.",
  SIEMKIT_ERR_TLS_EXPIRED:
    "The server's certificate is outside its validity period (expired or not yet valid). Renew it on the receiver, or check both clocks.",
  SIEMKIT_ERR_TLS_PIN_MISMATCH:
    "The server's certificate does not match forwarding.tls.fingerprint. If the receiver's certificate was renewed on purpose, pin the new sha256 fingerprint.",
  SIEMKIT_ERR_TLS_CLIENT_CERT_REQUIRED:
    'The receiver demands a client certificate (mutual TLS). Set forwarding.tls.clientCertificate and forwarding.tls.clientKey.',
  SIEMKIT_ERR_TLS_CLIENT_CERT_REJECTED:
    'The receiver rejected the client certificate. Have it signed by a CA the receiver trusts, and check it is valid and matches forwarding.tls.clientKey.',
  SIEMKIT_ERR_TLS_CONFIG:
    'A certificate or key in forwarding.tls could not be used. Check the PEM files and that the key belongs to the certificate.',
  SIEMKIT_ERR_TLS_HANDSHAKE_FAILED:
    'The TLS handshake failed. Check that the port speaks TLS, and forwarding.tls.minVersion against what the receiver supports.',
};

/** The hint for a code. */
export function connectionHint(code: ConnectionErrorCode): string {
  return HINTS[code];
}

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'CERT_CHAIN_TOO_LONG',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const CLIENT_CERT_REJECTED = new Set([
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);
const TLS_CONFIG = new Set([
  'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
  'ERR_OSSL_PEM_NO_START_LINE',
  'ERR_OSSL_PEM_BAD_BASE64_DECODE',
  'ERR_OSSL_UNSUPPORTED',
]);

function codeFor(
  systemCode: string | undefined,
  step: ConnectionStep,
  hasClientCert: boolean,
): ConnectionErrorCode {
  const c = CONNECTION_ERROR_CODES;
  switch (systemCode) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return c.resolveFailed;
    case 'ECONNREFUSED':
      return c.refused;
    case 'ETIMEDOUT':
      return c.timeout;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return c.unreachable;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return c.reset;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return c.nameMismatch;
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
      return c.clientCertRequired;
  }
  if (systemCode && UNTRUSTED.has(systemCode)) return c.untrusted;
  if (systemCode && EXPIRED.has(systemCode)) return c.expired;
  if (systemCode && CLIENT_CERT_REJECTED.has(systemCode))
    return hasClientCert ? c.clientCertRejected : c.clientCertRequired;
  // TLS 1.2 servers answer a missing client certificate with a bare handshake_failure alert.
  if (systemCode === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' && !hasClientCert) return c.clientCertRequired;
  if (systemCode && TLS_CONFIG.has(systemCode)) return c.tlsConfig;
  if (step === 'tls') return c.handshakeFailed;
  if (step === 'resolve') return c.resolveFailed;
  return c.connectFailed;
}

/**
 * Turns whatever a socket, DNS or TLS threw into a {@link SyslogConnectionError} with the matching code,
 * keeping the original as `cause`. A `SyslogConnectionError` passes through unchanged.
 */
export function toConnectionError(
  error: unknown,
  target: { host: string; port: number },
  step: ConnectionStep,
  hasClientCert = false,
): SyslogConnectionError {
  if (error instanceof SyslogConnectionError) return error;
  const systemCode = (error as { code?: unknown } | null)?.code;
  const code = codeFor(typeof systemCode === 'string' ? systemCode : undefined, step, hasClientCert);
  const message = error instanceof Error ? error.message : String(error);
  return new SyslogConnectionError(
    code,
    {
      host: target.host,
      port: target.port,
      step,
      reason: message,
      hint: HINTS[code],
      ...(typeof systemCode === 'string' ? { systemCode } : {}),
    },
    { cause: error },
  );
}

/** Builds a {@link SyslogConnectionError} for a cause siemkit itself detected (timeout, close, pin). */
export function connectionError(
  code: ConnectionErrorCode,
  target: { host: string; port: number },
  step: ConnectionStep,
  reason: string,
  extra: Partial<ConnectionErrorFields> = {},
  cause?: unknown,
): SyslogConnectionError {
  return new SyslogConnectionError(
    code,
    { host: target.host, port: target.port, step, reason, hint: HINTS[code], ...extra },
    cause === undefined ? undefined : { cause },
  );
}
