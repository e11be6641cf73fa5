// The settings page's "Test Connection": the same connection code, handshake, header and framing as SyslogSink,
// one test record, and a report of every step with its time and, on failure, why and what to change.
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createFramer } from '../lib/framing.js';
import type { Settings } from '../lib/settings.js';
import { createSyslogHeaderPrefix } from '../lib/syslog-header.js';
import {
  CONNECTION_ERROR_CODES,
  type ConnectionStep,
  connectionError,
  type SyslogConnectionError,
  toConnectionError,
} from './connection-errors.js';
import {
  type OpenConnectionOptions,
  openSyslogConnection,
  type SyslogConnectFn,
  type SyslogTarget,
} from './syslog-connection.js';
import { type ReadPem, syslogSinkOptionsFromSettings } from './syslog-sink-settings.js';

/** One step of a connection test. */
export interface ConnectionTestStep {
  step: ConnectionStep;
  ok: boolean;
  ms: number;
  /** What the step found (resolved address, TLS protocol, certificate subject and fingerprint, bytes sent). */
  detail?: Record<string, unknown>;
  error?: { code: string; reason: string; hint: string };
}

/** Result of {@link testConnection}. */
export interface ConnectionReport {
  ok: boolean;
  target: SyslogTarget;
  transport: 'tcp' | 'tls';
  framing: string;
  header: string;
  steps: ConnectionTestStep[];
  /** The failing step, when one failed. */
  failedStep?: ConnectionStep;
  /** The error, with `code` and fields, when a step failed. */
  error?: SyslogConnectionError;
}

/** Options of {@link testConnection}. */
export interface TestConnectionOptions {
  /** The record to send; the caller passes one from the real encoder. @defaultValue a minimal CEF or LEEF test record */
  record?: string;
  /** Receiver to test. @defaultValue `forwarding.host`/`forwarding.port` */
  target?: SyslogTarget;
  /** Connection seam; must be the sink's. @defaultValue `openSyslogConnection` */
  connect?: SyslogConnectFn;
  /** Name resolution seam. */
  lookup?: OpenConnectionOptions['lookup'];
  /** PEM reader seam. */
  readPem?: ReadPem;
}

/** A minimal test record in the configured log format. */
export function defaultTestRecord(settings: Settings, epochMs = Date.now()): string {
  const text = 'siemkit test connection';
  if (settings.format.logFormat === 'cef') {
    return `CEF:0|siemkit|siemkit|1|test-connection|${text}|1|rt=${epochMs} msg=${text}`;
  }
  if (settings.format.logFormat === 'leef')
    return `LEEF:1.0|siemkit|siemkit|1|test-connection|devTime=${epochMs}\tmsg=${text}`;
  return `LEEF:2.0|siemkit|siemkit|1|test-connection|^|devTime=${epochMs}^msg=${text}`;
}

function writeAll(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    socket.once('error', onError);
    socket.write(data, (error) => {
      socket.off('error', onError);
      if (error) reject(error);
      else resolve();
    });
  });
}

/** Ends our side (TLS close_notify, FIN) and waits for the receiver to close too, or an error. */
function closeAndWait(socket: Socket, target: SyslogTarget, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(); // receivers may keep a half-closed socket open; the record was written, that is enough
    }, timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(toConnectionError(error, target, 'close'));
    });
    socket.on('data', () => {});
    socket.once('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve();
    });
    socket.end();
  });
}

/**
 * Resolves, connects, performs the TLS handshake of real sending (via the sink's own connection function),
 * sends one record with the configured header and framing, closes, and reports each step. Never throws for
 * network or TLS trouble: the report says which step failed, its code, reason and hint.
 *
 * @example
 * ```ts
 * import { testConnection, formatConnectionReport } from 'siemkit/sinks';
 * const report = await testConnection(settings);
 * console.log(formatConnectionReport(report));
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 */
export async function testConnection(
  settings: Settings,
  options: TestConnectionOptions = {},
): Promise<ConnectionReport> {
  const sinkOptions = syslogSinkOptionsFromSettings(settings, options.readPem);
  const target = options.target ?? sinkOptions.destinations[0]!;
  const connect = options.connect ?? openSyslogConnection;
  const framing = sinkOptions.framing!;
  const report: ConnectionReport = {
    ok: false,
    target,
    transport: sinkOptions.tls ? 'tls' : 'tcp',
    framing,
    header: settings.forwarding.syslogHeader,
    steps: [],
  };
  let mark = performance.now();
  let current: ConnectionStep = 'resolve';
  const fail = (error: SyslogConnectionError) => {
    report.steps.push({
      step: error.fields.step,
      ok: false,
      ms: Math.round(performance.now() - mark),
      error: { code: error.code, reason: error.fields.reason, hint: error.fields.hint },
    });
    report.failedStep = error.fields.step;
    report.error = error;
    return report;
  };

  let socket: Socket;
  try {
    socket = await connect(target, {
      tls: sinkOptions.tls ?? null,
      connectTimeoutMs: settings.forwarding.connectTimeoutMs,
      ...(options.lookup ? { lookup: options.lookup } : {}),
      onStep: (step, ms, detail) => {
        report.steps.push({ step, ok: true, ms: Math.round(ms), detail });
        mark = performance.now();
        current = step === 'resolve' ? 'connect' : 'tls';
      },
    });
  } catch (error) {
    return fail(toConnectionError(error, target, current));
  }

  try {
    const head = createSyslogHeaderPrefix(sinkOptions.header)(Date.now(), 1);
    const frame = createFramer(framing).frame(options.record ?? defaultTestRecord(settings), head);
    mark = performance.now();
    if (socket.destroyed) {
      throw connectionError(
        CONNECTION_ERROR_CODES.reset,
        target,
        'send',
        'the connection closed before the record was sent',
      );
    }
    await writeAll(socket, frame);
    report.steps.push({
      step: 'send',
      ok: true,
      ms: Math.round(performance.now() - mark),
      detail: { bytes: frame.length },
    });
  } catch (error) {
    socket.destroy();
    return fail(toConnectionError(error, target, 'send', Boolean(sinkOptions.tls?.cert)));
  }

  mark = performance.now();
  try {
    await closeAndWait(socket, target, settings.forwarding.connectTimeoutMs);
    report.steps.push({ step: 'close', ok: true, ms: Math.round(performance.now() - mark) });
  } catch (error) {
    return fail(toConnectionError(error, target, 'close', Boolean(sinkOptions.tls?.cert)));
  }
  report.ok = true;
  return report;
}

/** Renders a report as text for the command line: one line per step, then the failure's reason and hint. */
export function formatConnectionReport(report: ConnectionReport): string {
  const lines = [
    `Test connection to ${report.target.host}:${report.target.port} (${report.transport.toUpperCase()}, ${report.header}, ${report.framing})`,
  ];
  for (const s of report.steps) {
    const status = s.ok ? 'ok  ' : 'FAIL';
    const detail = s.ok ? describe(s) : `${s.error!.code}: ${s.error!.reason}`;
    lines.push(`  ${status} ${s.step.padEnd(8)} ${`${s.ms} ms`.padStart(8)}  ${detail}`.trimEnd());
    if (!s.ok) lines.push(`       what to change: ${s.error!.hint}`);
  }
  lines.push(
    report.ok ? 'Result: OK, the test record was sent.' : `Result: FAILED at step "${report.failedStep}".`,
  );
  return `${lines.join('\n')}\n`;
}

function describe(step: ConnectionTestStep): string {
  const d = step.detail ?? {};
  switch (step.step) {
    case 'resolve':
    case 'connect':
      return String(d.address ?? '');
    case 'tls':
      return `${d.protocol ?? ''} ${d.cipher ?? ''}, server ${d.subject ?? '?'}, sha256 ${d.fingerprint256 ?? '?'}`;
    case 'send':
      return `${d.bytes} bytes`;
    default:
      return '';
  }
}
