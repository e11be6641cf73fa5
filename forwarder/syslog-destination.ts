import type { Settings } from '../lib/settings.js';
import { DiskSpool } from '../sinks/disk-spool.js';
import { SyslogSink, type SyslogSinkOptions } from '../sinks/syslog-sink.js';
import type { OpenedDestination, ReportSinkError, ReportUndelivered } from './open-destinations.js';

/** Options passed over the settings to the syslog sink (seams such as `connect`, timing, buffer, `spool`). */
export type SyslogOverrides = Partial<SyslogSinkOptions>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The syslog sink of `settings.forwarding`, with its overflow reported and its progress readable. With
 * `forwarding.spool.enabled` (unless `overrides.spool` says otherwise) every record goes through the disk spool
 * first; its drops are reported, and records still in it at close are named with the spool folder.
 */
export function openSyslogDestination(
  settings: Settings,
  report: ReportUndelivered,
  onError: ReportSinkError,
  overrides: SyslogOverrides = {},
): OpenedDestination {
  const spool = 'spool' in overrides ? null : DiskSpool.fromSettings(settings);
  const sink = SyslogSink.fromSettings(settings, spool ? { ...overrides, spool } : overrides);
  const f = settings.forwarding;
  sink.on('overflow', (e) =>
    report({ destination: 'syslog', records: e.dropped, reason: `buffer full (overflow: ${e.policy})` }),
  );
  sink.on('error', (error) => onError('syslog', error));
  spool?.on('drop', (e) =>
    report({
      destination: 'syslog',
      records: e.records,
      reason: `spool full (${spool.path}, dropPolicy: ${f.spool.dropPolicy}); a summary record goes to the SIEM`,
    }),
  );
  spool?.on('corrupt', (error) => onError('syslog', error));
  spool?.on('error', (error) => onError('syslog', error));
  /** With a spool, flush() means "in the spool"; the forwarder's flush waits until it is sent too. */
  const sent = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (sink.stats.spooled > 0 || sink.bufferedBytes > 0) {
      if (Date.now() >= deadline)
        throw new Error(
          `${sink.stats.spooled} records kept in the spool ${spool!.path}; sent once the SIEM answers`,
        );
      await sleep(10);
    }
  };
  return {
    name: 'syslog',
    where: `${f.tls.enabled ? 'tls' : 'tcp'}://${f.host.includes(':') ? `[${f.host}]` : f.host}:${f.port}`,
    sink: sink as OpenedDestination['sink'],
    open: async () => {}, // the sink connects (and reconnects) by itself
    progress: () => {
      const s = sink.stats;
      // Records sent twice, sent for a previous process, or drop summaries are not this run's deliveries.
      const extra = s.replayed + s.dropSummaries + (spool?.stats.recovered ?? 0);
      return {
        delivered: Math.max(0, s.written - extra),
        failed: s.overflowed + s.dropped,
        ...(spool
          ? {
              spool: {
                spooled: s.spooled,
                replayed: s.replayed,
                resent: s.resent,
                dropped: s.dropped,
                droppedByKind: s.droppedByKind,
              },
            }
          : {}),
      };
    },
    flush: async (timeoutMs) => {
      await sink.flush({ timeoutMs });
      if (spool) await sent(timeoutMs);
    },
    close: async (timeoutMs) => {
      await sink.end({ timeoutMs });
      // What is left is safe on disk for the next start, but not delivered: say where it is.
      const left = sink.stats.spooled;
      if (spool && left > 0)
        throw new Error(`${left} records kept in the spool ${spool.path}; sent after the next start`);
    },
  };
}
