// Settings -> SyslogSink options, shared by SyslogSink.fromSettings and testConnection so both use the same
// receivers, certificates, header and framing.
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { effectiveFraming, FACILITIES, type Settings } from '../lib/settings.js';
import type { SyslogTlsOptions } from './syslog-connection.js';
import type { SyslogSinkOptions } from './syslog-sink.js';

/** Reads a PEM file named in the settings (seam for tests). */
export type ReadPem = (path: string) => Buffer;

/** The TLS options `forwarding.tls` describes, with the PEM files read, or null when TLS is off. */
export function tlsOptionsFromSettings(
  settings: Settings,
  readPem: ReadPem = readFileSync,
): SyslogTlsOptions | null {
  const tls = settings.forwarding.tls;
  if (!tls.enabled) return null;
  return {
    ca: tls.serverCertificate === null ? null : readPem(tls.serverCertificate),
    cert: tls.clientCertificate === null ? null : readPem(tls.clientCertificate),
    key: tls.clientKey === null ? null : readPem(tls.clientKey),
    fingerprint: tls.fingerprint,
    serverName: tls.serverName,
    minVersion: tls.minVersion,
  };
}

/** SyslogSink options from validated settings: receivers, TLS, header, framing, timeouts, buffer and backoff. */
export function syslogSinkOptionsFromSettings(
  settings: Settings,
  readPem: ReadPem = readFileSync,
): SyslogSinkOptions {
  const f = settings.forwarding;
  return {
    destinations: [
      { host: f.host, port: f.port },
      ...f.failover.map((r) => ({ host: r.host, port: r.port })),
    ],
    tls: tlsOptionsFromSettings(settings, readPem),
    framing: effectiveFraming(f),
    header: {
      style: f.syslogHeader,
      facility: FACILITIES[f.facility],
      hostname: f.hostname ?? osHostname(),
      appName: f.appName,
      procId: process.pid,
    },
    connectTimeoutMs: f.connectTimeoutMs,
    writeTimeoutMs: f.writeTimeoutMs,
    maxBufferBytes: f.maxBufferBytes,
    overflow: f.overflow,
    reconnect: { initialDelayMs: f.reconnect.initialDelayMs, maxDelayMs: f.reconnect.maxDelayMs },
  };
}
