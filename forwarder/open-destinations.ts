import type { Settings } from '../lib/settings.js';
import { RotatingFileSink, type RotatingFileSinkOptions } from '../sinks/rotating-file-sink.js';
import type { RecordDestination, SpoolCounters, UndeliveredReport } from './record-destination.js';

/** A sink made ready for the forwarder: how to read its progress and how to finish it. */
export interface OpenedDestination {
  name: 'file' | 'syslog';
  /** Where records go, for messages: a path or `host:port`. */
  where: string;
  sink: RecordDestination;
  /** Prepares the sink (opens the file); rejects when it cannot be used. */
  open(): Promise<void>;
  /** Records the sink finished (on disk / handed to the kernel) and those it gave up. */
  progress(): { delivered: number; failed: number; rotations?: number; spool?: SpoolCounters };
  /** Waits at most `timeoutMs` for everything accepted; rejects with the reason when something is not out. */
  flush(timeoutMs: number): Promise<void>;
  /** Flushes and closes; rejects with the reason when something accepted was not written or sent. */
  close(timeoutMs: number): Promise<void>;
}

/** Reports a sink makes about records it gave up, forwarded to the forwarder's `onUndelivered`. */
export type ReportUndelivered = (report: UndeliveredReport) => void;
export type ReportSinkError = (destination: 'file' | 'syslog', error: Error) => void;

/** Rejects after `timeoutMs` unless `work` settles first. */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Why records were dropped, without their count, so equal causes add up to one line. */
function droppedReason(error: Error & { fields?: object }): string {
  const reason = (error.fields as { reason?: string } | undefined)?.reason ?? error.message;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${reason}${cause}`;
}

/** The rotating log file of `settings.logFile`. */
export function openFileDestination(
  settings: Settings,
  report: ReportUndelivered,
  onError: ReportSinkError,
  overrides: RotatingFileSinkOptions = {},
): OpenedDestination {
  const sink = RotatingFileSink.fromSettings(settings, overrides);
  sink.on('dropped', (e) =>
    report({ destination: 'file', records: e.records.length, reason: droppedReason(e.error) }),
  );
  sink.on('error', (error) => onError('file', error));
  return {
    name: 'file',
    where: sink.path,
    sink,
    open: () => sink.open(),
    progress: () => ({
      delivered: sink.stats.written,
      failed: sink.stats.failed + sink.stats.dropped,
      rotations: sink.stats.rotations,
    }),
    flush: (timeoutMs) => withTimeout(sink.flush(), timeoutMs, 'writing the log file'),
    close: (timeoutMs) => withTimeout(sink.end(), timeoutMs, 'closing the log file'),
  };
}
