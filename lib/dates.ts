import { DateTime, IANAZone } from 'luxon';
import { InvalidOptionError } from './errors.js';

/** Date presets of `format.dateFormat`; anything else is a luxon pattern. */
export const DATE_PRESETS = ['epoch-ms', 'cef', 'iso8601'] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

/** A compiled date formatter: epoch milliseconds in, text out, plus the Java pattern a LEEF `devTimeFormat` needs. */
export interface DateFormatter {
  format(epochMs: number): string;
  /** Java SimpleDateFormat pattern for LEEF `devTimeFormat`; `undefined` for epoch values, which need none. */
  javaPattern: string | undefined;
}

// luxon token -> Java SimpleDateFormat token. Tokens absent here have no Java equivalent.
const JAVA_TOKENS: Record<string, string> = {
  yyyy: 'yyyy',
  yy: 'yy',
  y: 'y',
  MMMM: 'MMMM',
  MMM: 'MMM',
  MM: 'MM',
  M: 'M',
  LLLL: 'MMMM',
  LLL: 'MMM',
  LL: 'MM',
  L: 'M',
  dd: 'dd',
  d: 'd',
  HH: 'HH',
  H: 'H',
  hh: 'hh',
  h: 'h',
  mm: 'mm',
  m: 'm',
  ss: 'ss',
  s: 's',
  SSS: 'SSS',
  S: 'S',
  a: 'a',
  EEEE: 'EEEE',
  EEE: 'EEE',
  cccc: 'EEEE',
  ccc: 'EEE',
  ZZ: 'XXX',
  ZZZ: 'Z',
  ZZZZ: 'z',
  ooo: 'DDD',
};

/**
 * Translates a luxon format pattern to Java SimpleDateFormat, which QRadar uses to read `devTime`.
 * Returns the reason instead when a token has no Java equivalent (an IANA zone name, a macro token).
 */
export function toJavaDatePattern(pattern: string): { pattern: string } | { reason: string } {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) return { reason: `unterminated quote at position ${i}` };
      out += pattern.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let j = i;
    while (pattern[j] === ch) j++;
    const token = pattern.slice(i, j);
    const java = JAVA_TOKENS[token];
    if (java === undefined)
      return { reason: `luxon token "${token}" has no Java SimpleDateFormat equivalent` };
    out += java;
    i = j;
  }
  return { pattern: out };
}

/** Validates a date format setting and time zone; returns a problem text or `undefined`. */
export function dateFormatProblem(dateFormat: string, needsJavaPattern: boolean): string | undefined {
  if ((DATE_PRESETS as readonly string[]).includes(dateFormat)) return undefined;
  if (dateFormat.trim() === '') return 'must be a preset (epoch-ms, cef, iso8601) or a luxon pattern';
  const probe = DateTime.fromMillis(0, { zone: 'UTC' }).toFormat(dateFormat);
  if (probe === dateFormat && /[A-Za-z]/.test(dateFormat.replace(/'[^']*'/g, ''))) {
    return `"${dateFormat}" contains no luxon date tokens`;
  }
  if (needsJavaPattern) {
    const java = toJavaDatePattern(dateFormat);
    if ('reason' in java) return `cannot be used with LEEF: ${java.reason}`;
  }
  return undefined;
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
const pad3 = (n: number) => (n < 10 ? '00' + n : n < 100 ? '0' + n : String(n));

/** `+01:00` style, or `Z` when the offset is zero. */
function offsetText(offsetMinutes: number, zeroAs: string): string {
  if (offsetMinutes === 0) return zeroAs;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * Compiles `format.dateFormat` in `format.timeZone` once. Presets are hand-written (English month names
 * whatever the process locale; a zone a Java parser reads); patterns go through luxon with the `en-US` locale.
 */
export function createDateFormatter(dateFormat: string, timeZone = 'UTC'): DateFormatter {
  if (!isValidTimeZone(timeZone))
    throw new InvalidOptionError('timeZone', `"${timeZone}" is not an IANA time zone`);
  const problem = dateFormatProblem(dateFormat, false);
  if (problem) throw new InvalidOptionError('dateFormat', problem);
  const zone = IANAZone.create(timeZone);
  const isUtc = zone.offset(0) === 0 && (timeZone === 'UTC' || timeZone === 'Etc/UTC');
  switch (dateFormat as DatePreset) {
    case 'epoch-ms':
      return { format: createEpochText(), javaPattern: undefined };
    case 'cef':
      return cachedSameMs(cefPreset(zone, isUtc));
    case 'iso8601':
      return cachedSameMs(isoPreset(zone));
    default: {
      const java = toJavaDatePattern(dateFormat);
      return cachedSameMs({
        format: (ms) => DateTime.fromMillis(ms, { zone, locale: 'en-US' }).toFormat(dateFormat),
        javaPattern: 'pattern' in java ? java.pattern : undefined,
      });
    }
  }
}

function cefPreset(zone: IANAZone, isUtc: boolean): DateFormatter {
  // `MMM dd yyyy HH:mm:ss.SSS zzz` from the CEF date appendix; zone as `UTC` or `GMT+01:00`, both of
  // which Java's `z` parses (a short name like `CET` is ambiguous).
  return {
    format(ms) {
      const offset = zone.offset(ms);
      const d = new Date(ms + offset * 60_000);
      return `${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())} ${isUtc ? 'UTC' : 'GMT' + offsetText(offset, '+00:00')}`;
    },
    javaPattern: 'MMM dd yyyy HH:mm:ss.SSS z',
  };
}

function isoPreset(zone: IANAZone): DateFormatter {
  return {
    format(ms) {
      const offset = zone.offset(ms);
      const iso = new Date(ms + offset * 60_000).toISOString();
      return iso.slice(0, 23) + offsetText(offset, 'Z');
    },
    javaPattern: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  };
}

/** Events come in bursts: the same millisecond gives the same text without formatting it again. */
function cachedSameMs(dates: DateFormatter): DateFormatter {
  const format = dates.format;
  let lastMs = Number.NaN;
  let lastText = '';
  return {
    format(ms) {
      if (ms !== lastMs) {
        lastText = format(ms);
        lastMs = ms;
      }
      return lastText;
    },
    javaPattern: dates.javaPattern,
  };
}

const MILLIS_TEXT = Array.from({ length: 1000 }, (_, i) => pad3(i));

/**
 * `String(ms)` with the seconds' text kept while the second lasts and the milliseconds from a table:
 * a 13-digit number is not a small integer, and `String(ms)` cost 3-8x as much per call; the floor of
 * bench/format.bench.ts ran 10-15% faster with this cache. Exactly `String(ms)` for every number.
 */
function createEpochText(): (ms: number) => string {
  let lastSecond = Number.NaN;
  let secondText = '';
  return (ms) => {
    // From 1000 on, the second's text is never empty or `0`; below or for fractions, keep it simple.
    if (!(ms >= 1000 && ms <= Number.MAX_SAFE_INTEGER && Number.isInteger(ms))) return String(ms);
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      secondText = String(second);
      lastSecond = second;
    }
    return secondText + MILLIS_TEXT[ms - second * 1000]!;
  };
}
