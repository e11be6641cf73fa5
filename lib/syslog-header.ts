// Syslog headers (RFC 5424 and RFC 3164) as precomputed prefixes: everything constant is built once in
// createSyslogHeader, so the per-record work is a cached timestamp and one concatenation.
import { InvalidOptionError } from './errors.js';
import { isIPv4, isIPv6 } from './net-address.js';

/** Which syslog header goes in front of each record. */
export type SyslogHeaderStyle = 'rfc5424' | 'rfc3164' | 'none';

/** Options of {@link createSyslogHeader}. */
export interface SyslogHeaderOptions {
  /** Header layout. @defaultValue `'rfc5424'` */
  style?: SyslogHeaderStyle;
  /** Syslog facility number 0-23 (`FACILITIES.authpriv` is 10). @defaultValue `10` (authpriv) */
  facility?: number;
  /** HOSTNAME; sanitized to printable ASCII, at most 255 (5424) characters; empty gives `-`. @defaultValue `'-'` */
  hostname?: string | null;
  /** APP-NAME (5424, at most 48) and TAG (3164, at most 32, alphanumeric plus `-_.`). @defaultValue `'siemkit'` */
  appName?: string | null;
  /** PROCID (5424, at most 128) and the `[PID]` after the 3164 TAG; empty gives `-` / nothing. @defaultValue none */
  procId?: string | number | null;
  /** MSGID (5424 only, at most 32). @defaultValue `'-'` */
  msgId?: string | null;
  /**
   * Put the UTF-8 BOM before MSG (RFC 5424 asks for it with UTF-8 text, but rsyslog keeps it as content and
   * CEF/LEEF parsers that anchor on `CEF:` may miss the record, see wire-formats pitfall 18). @defaultValue `false`
   */
  bom?: boolean;
}

/** Prepends the syslog header: `(record, epochMs, eventSeverity 0-10) => header + record`. */
export type SyslogHeaderFn = (record: string, epochMs: number, severity: number) => string;

/** The syslog header alone (ending with the space or BOM before MSG): `(epochMs, eventSeverity 0-10) => header`. */
export type SyslogHeaderPrefixFn = (epochMs: number, severity: number) => string;

/**
 * CEF/LEEF severity 0-10 (index) to syslog severity 0-7, following CEF's bands: Low 0-3 -> informational (6),
 * Medium 4-6 -> notice (5), High 7-8 -> warning (4), Very-High 9 -> error (3), 10 -> critical (2).
 * Emergency (0) and alert (1) are never used: default rsyslog and journald configurations broadcast them to
 * every logged-in terminal, which an audit event must not do.
 */
export const CEF_TO_SYSLOG_SEVERITY: readonly number[] = Object.freeze([6, 6, 6, 6, 5, 5, 5, 4, 4, 3, 2]);

/** Maps an event's CEF/LEEF severity (0-10; out of range is clamped, non-numbers count as 0) to syslog severity. */
export function toSyslogSeverity(eventSeverity: number): number {
  const i = eventSeverity >= 10 ? 10 : eventSeverity > 0 ? Math.floor(eventSeverity) : 0;
  return CEF_TO_SYSLOG_SEVERITY[i]!;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NOT_PRINTUSASCII = /[^\x21-\x7e]/g;
const NOT_TAG_CHAR = /[^A-Za-z0-9_.-]/g;

/** RFC 5424 header field: PRINTUSASCII only (others become `_`), cut to `max`, `-` when empty. */
export function sanitizeHeaderField(value: string | number | null | undefined, max: number): string {
  const text = value === null || value === undefined ? '' : String(value);
  const clean = text.replace(NOT_PRINTUSASCII, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** RFC 3164 HOSTNAME: no domain part (an IP address stays whole), no spaces. */
function bsdHostname(hostname: string | null | undefined): string {
  const field = sanitizeHeaderField(hostname, 255);
  if (field === '-' || isIPv4(field) || isIPv6(field)) return field;
  const dot = field.indexOf('.');
  return dot > 0 ? field.slice(0, dot) : field;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

function checkFacility(facility: number): number {
  if (!Number.isInteger(facility) || facility < 0 || facility > 23) {
    throw new InvalidOptionError('facility', `must be an integer 0-23, got ${JSON.stringify(facility)}`);
  }
  return facility;
}

/** `<PRI>` + `suffix` for each syslog severity 0-7, indexed by CEF severity 0-10. */
function priPrefixes(facility: number, suffix: string): string[] {
  return CEF_TO_SYSLOG_SEVERITY.map((sev) => `<${facility * 8 + sev}>${suffix}`);
}

function rfc5424(options: SyslogHeaderOptions, facility: number): SyslogHeaderPrefixFn {
  const pri = priPrefixes(facility, '1 ');
  const tail =
    ` ${sanitizeHeaderField(options.hostname, 255)} ${sanitizeHeaderField(options.appName ?? 'siemkit', 48)}` +
    ` ${sanitizeHeaderField(options.procId, 128)} ${sanitizeHeaderField(options.msgId, 32)} - ` +
    (options.bom ? '\uFEFF' : '');
  // One toISOString per distinct second; within the second only the milliseconds change. Events arriving in
  // bursts share a millisecond, so the last header is kept whole too (bench/syslog-sink.bench.ts).
  let cachedSecond = Number.NaN;
  let secondPrefix = '';
  let lastMs = Number.NaN;
  let lastSev = -1;
  let last = '';
  return (epochMs, severity) => {
    if (epochMs === lastMs && severity === lastSev) return last;
    lastMs = epochMs;
    lastSev = severity;
    const second = Math.floor(epochMs / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      secondPrefix = new Date(second * 1000).toISOString().slice(0, -4); // keep 'YYYY-MM-DDThh:mm:ss.'
    }
    const sev = severity >= 10 ? 10 : severity > 0 ? severity | 0 : 0;
    last = pri[sev] + secondPrefix + pad3(epochMs - second * 1000) + 'Z' + tail;
    return last;
  };
}

function rfc3164(options: SyslogHeaderOptions, facility: number): SyslogHeaderPrefixFn {
  const pri = priPrefixes(facility, '');
  const tag = (options.appName ?? 'siemkit').replace(NOT_TAG_CHAR, '_').slice(0, 32) || 'siemkit';
  const pid = sanitizeHeaderField(options.procId, 128);
  const tail = ` ${bsdHostname(options.hostname)} ${tag}${pid === '-' ? '' : `[${pid}]`}: `;
  let cachedSecond = Number.NaN;
  let stamp = '';
  return (epochMs, severity) => {
    const second = Math.floor(epochMs / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      // UTC: RFC 3164 carries no zone, so the receiver's reading is only right when both sides agree; UTC is
      // the one choice that does not change with the sender's locale or daylight saving.
      const d = new Date(second * 1000);
      const day = d.getUTCDate();
      stamp =
        `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ` +
        `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    }
    const sev = severity >= 10 ? 10 : severity > 0 ? severity | 0 : 0;
    return pri[sev] + stamp + tail;
  };
}

const noHeader: SyslogHeaderPrefixFn = () => '';

/**
 * Builds the function that returns the syslog header for an event time and severity, with every constant part
 * computed once; sinks write it and the record into a Buffer separately, which is faster than concatenating.
 * Throws `InvalidOptionError` (`SIEMKIT_ERR_INVALID_OPTION`) for a facility outside 0-23 or an unknown style.
 *
 * @example
 * ```ts
 * import { createSyslogHeaderPrefix } from 'siemkit';
 * const prefix = createSyslogHeaderPrefix({ hostname: 'host01' });
 * prefix(Date.now(), 7); // '<84>1 2024-06-01T12:00:00.123Z host01 siemkit - - - '
 * ```
 */
export function createSyslogHeaderPrefix(options: SyslogHeaderOptions = {}): SyslogHeaderPrefixFn {
  const facility = checkFacility(options.facility ?? 10);
  const style = options.style ?? 'rfc5424';
  switch (style) {
    case 'rfc5424':
      return rfc5424(options, facility);
    case 'rfc3164':
      return rfc3164(options, facility);
    case 'none':
      return noHeader;
    default:
      throw new InvalidOptionError(
        'style',
        `must be "rfc5424", "rfc3164" or "none", got ${JSON.stringify(style)}`,
      );
  }
}

/**
 * Builds the function that puts a syslog header in front of a record, with every constant part computed
 * once. Throws `InvalidOptionError` (`SIEMKIT_ERR_INVALID_OPTION`) for a facility outside 0-23 or an unknown style.
 *
 * @example
 * ```ts
 * import { createSyslogHeader } from 'siemkit';
 * const header = createSyslogHeader({ style: 'rfc5424', facility: 10, hostname: 'host01', appName: 'siemkit' });
 * header('CEF:0|...', Date.now(), 7); // '<84>1 2024-06-01T12:00:00.123Z host01 siemkit - - - CEF:0|...'
 * ```
 */
export function createSyslogHeader(options: SyslogHeaderOptions = {}): SyslogHeaderFn {
  const prefix = createSyslogHeaderPrefix(options);
  if (prefix === noHeader) return (record) => record;
  return (record, epochMs, severity) => prefix(epochMs, severity) + record;
}
