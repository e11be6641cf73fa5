import type { Settings } from '../lib/settings.js';
import {
  type OpenedDestination,
  type ReportSinkError,
  type ReportUndelivered,
  withTimeout,
} from './open-destinations.js';

/** Options passed over the settings to the syslog sink. */
export type SyslogOverrides = Record<string, unknown>;

/** The syslog sender of `settings.forwarding`. */
export function openSyslogDestination(
  _settings: Settings,
  _report: ReportUndelivered,
  _onError: ReportSinkError,
  _overrides: SyslogOverrides = {},
): OpenedDestination {
  void withTimeout;
  throw new Error('SyslogSink not merged yet');
}
