import type { Settings } from '../lib/settings.js';
import { SyslogSink, type SyslogSinkOptions } from '../sinks/syslog-sink.js';
import type { OpenedDestination, ReportSinkError, ReportUndelivered } from './open-destinations.js';

/** Options passed over the settings to the syslog sink (seams such as `connect`, timing, buffer). */
export type SyslogOverrides = Partial<SyslogSinkOptions>;

/** The syslog sink of `settings.forwarding`, with its overflow reported and its progress readable. */
export function openSyslogDestination(
  settings: Settings,
  report: ReportUndelivered,
  onError: ReportSinkError,
  overrides: SyslogOverrides = {},
): OpenedDestination {
  const sink = SyslogSink.fromSettings(settings, overrides);
  const f = settings.forwarding;
  sink.on('overflow', (e) =>
    report({ destination: 'syslog', records: e.dropped, reason: `buffer full (overflow: ${e.policy})` }),
  );
  sink.on('error', (error) => onError('syslog', error));
  return {
    name: 'syslog',
    where: `${f.tls.enabled ? 'tls' : 'tcp'}://${f.host.includes(':') ? `[${f.host}]` : f.host}:${f.port}`,
    sink: sink as OpenedDestination['sink'],
    open: async () => {}, // the sink connects (and reconnects) by itself
    progress: () => {
      const s = sink.stats;
      return { delivered: s.written, failed: s.overflowed };
    },
    flush: (timeoutMs) => sink.flush({ timeoutMs }),
    close: (timeoutMs) => sink.end({ timeoutMs }),
  };
}
