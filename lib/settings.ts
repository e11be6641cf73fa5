import { z } from 'zod';
import { dateFormatProblem, isValidTimeZone } from './dates.js';
import { InvalidSettingsError } from './errors.js';
import { isHostName, isIPv4, isIPv6 } from './net-address.js';

// Every message reads as the second half of `path: problem`, and shows what was given.
const got = (input: unknown) => `, got ${input === undefined ? 'nothing' : JSON.stringify(input)}`;
const must = (what: string) => ({
  error: (issue: { input?: unknown }) => `must be ${what}${got(issue.input)}`,
});

const bool = () => z.boolean(must('true or false'));
const int = (min: number, max: number) =>
  z
    .number(must(`an integer ${min}-${max}`))
    .int(must(`an integer ${min}-${max}`))
    .min(min, must(`an integer ${min}-${max}`))
    .max(max, must(`an integer ${min}-${max}`));
const text = (what = 'a string') => z.string(must(what));
const nullablePath = () =>
  z.string(must('a file path or null')).min(1, must('a file path or null')).nullable();

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const EVERY = /^[1-9]\d*[hd]$/;
const FINGERPRINT = /^(sha256:)?([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/;

const host = () =>
  text('an IPv4 address, an IPv6 address or a host name').refine(
    (h) => isIPv4(h) || isIPv6(h) || isHostName(h),
    {
      error: (issue) => `must be an IPv4 address, an IPv6 address or a host name${got(issue.input)}`,
    },
  );

/** Syslog facilities by name (RFC 5424 table 1). */
export const FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  audit: 13,
  alert: 14,
  clock: 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type FacilityName = keyof typeof FACILITIES;

const logFileSchema = z
  .strictObject({
    enabled: bool().default(false),
    location: text('a folder path').min(1, must('a folder path')).default('./logs'),
    name: text('a file name')
      .regex(/^[^/\\\0]+$/, must('a file name without a folder'))
      .default('EventLog'),
    cleanupDailyAt: text('HH:mm').regex(HH_MM, must('HH:mm (00:00-23:59)')).nullable().default('00:00'),
    cleanupEvery: text('Nh or Nd')
      .regex(EVERY, must('Nh or Nd with N >= 1, e.g. "12h" or "1d"'))
      .nullable()
      .default('1d'),
    maxFileSizeGB: z
      .number(must('a number of GB > 0'))
      .positive(must('a number of GB > 0'))
      .max(1024, must('at most 1024 GB'))
      .nullable()
      .default(1),
    maxFiles: int(1, 1_000_000).nullable().default(null),
    compress: bool().default(false),
    fsync: z.enum(['never', 'flush', 'always'], must('"never", "flush" or "always"')).default('flush'),
    maxBufferBytes: int(65_536, 1 << 30).default(8 * 1024 * 1024),
  })
  .prefault({});

const receiverSchema = z.strictObject({ host: host(), port: int(1, 65535) });

const tlsSchema = z
  .strictObject({
    enabled: bool().default(false),
    serverCertificate: nullablePath().default(null),
    clientCertificate: nullablePath().default(null),
    clientKey: nullablePath().default(null),
    fingerprint: text('a sha256 fingerprint (64 hex digits, colons optional)')
      .regex(FINGERPRINT, must('a sha256 fingerprint (64 hex digits, colons optional)'))
      .nullable()
      .default(null),
    serverName: text('a host name')
      .refine(isHostName, { error: (i) => `must be a host name${got(i.input)}` })
      .nullable()
      .default(null),
    minVersion: z.enum(['TLSv1.2', 'TLSv1.3'], must('"TLSv1.2" or "TLSv1.3"')).default('TLSv1.2'),
  })
  .prefault({});

const forwardingSchema = z
  .strictObject({
    enabled: bool().default(false),
    host: host().default('127.0.0.1'),
    port: int(1, 65535).default(514),
    tls: tlsSchema,
    framing: z
      .enum(['octet-counting', 'lf'], must('"octet-counting", "lf" or null'))
      .nullable()
      .default(null),
    syslogHeader: z
      .enum(['rfc5424', 'rfc3164', 'none'], must('"rfc5424", "rfc3164" or "none"'))
      .default('rfc5424'),
    facility: z
      .enum(
        Object.keys(FACILITIES) as [FacilityName, ...FacilityName[]],
        must('a syslog facility name such as "authpriv" or "local0"'),
      )
      .default('authpriv'),
    appName: text('1-48 printable ASCII characters')
      .regex(/^[\x21-\x7e]{1,48}$/, must('1-48 printable ASCII characters'))
      .default('siemkit'),
    hostname: text('1-255 printable ASCII characters')
      .regex(/^[\x21-\x7e]{1,255}$/, must('1-255 printable ASCII characters'))
      .nullable()
      .default(null),
    failover: z.array(receiverSchema, must('a list of {host, port}')).default([]),
    connectTimeoutMs: int(100, 600_000).default(10_000),
    writeTimeoutMs: int(100, 3_600_000).default(30_000),
    maxBufferBytes: int(65_536, 1 << 30).default(8 * 1024 * 1024),
    overflow: z
      .enum(['block', 'drop-newest', 'drop-oldest'], must('"block", "drop-newest" or "drop-oldest"'))
      .default('block'),
    reconnect: z
      .strictObject({
        initialDelayMs: int(10, 60_000).default(250),
        maxDelayMs: int(100, 600_000).default(30_000),
      })
      .prefault({}),
    spool: z
      .strictObject({
        /** Write every accepted record to the disk spool first (write-ahead), so no outage or crash loses it. */
        enabled: bool().default(true),
        /** Spool folder; null = `<logFile.location>/spool`. */
        path: nullablePath().default(null),
        /** Cap on the spool's bytes on disk; null = only the disk's free space. */
        maxBytes: int(1_048_576, Number.MAX_SAFE_INTEGER)
          .nullable()
          .default(1024 * 1024 * 1024),
        /** When the spool is full: `oldest` deletes the oldest segment, `newest` refuses new records. */
        dropPolicy: z.enum(['oldest', 'newest'], must('"oldest" or "newest"')).default('oldest'),
        /** How often the segment being written is fsync'ed; null = never (a crash of the process loses nothing either way). */
        fsyncIntervalMs: int(10, 3_600_000).nullable().default(1000),
      })
      .prefault({}),
  })
  .prefault({});

const formatSchema = z
  .strictObject({
    logFormat: z.enum(['cef', 'leef', 'leef2'], must('"cef", "leef" or "leef2"')).default('cef'),
    dateFormat: text('a preset (epoch-ms, cef, iso8601) or a luxon pattern').default('epoch-ms'),
    timeZone: text('an IANA time zone')
      .refine(isValidTimeZone, {
        error: (i) => `must be an IANA time zone such as "Europe/Berlin"${got(i.input)}`,
      })
      .default('UTC'),
    leefDelimiter: text('one character or a hex code such as "x5E"')
      .regex(
        /^([^|=\r\n]|0?x[0-9A-Fa-f]{1,4})$/u,
        must('one character other than |, =, CR and LF, or a hex code such as "x5E"'),
      )
      .default('^'),
    vendor: text()
      .min(1, must('a non-empty string'))
      .max(63, must('at most 63 characters'))
      .nullable()
      .default(null),
    product: text()
      .min(1, must('a non-empty string'))
      .max(63, must('at most 63 characters'))
      .nullable()
      .default(null),
    productVersion: text()
      .min(1, must('a non-empty string'))
      .max(31, must('at most 31 characters'))
      .nullable()
      .default(null),
    cefSpaceBeforeExtension: bool().default(false),
  })
  .prefault({});

const contentsSchema = z
  .strictObject({
    clientRecords: bool().default(true),
    alertEvents: bool().default(true),
    auditLogEvents: bool().default(true),
    clientStatusEvents: bool().default(true),
  })
  .prefault({});

/** The settings page as a schema: the four sections, HA mode, and siemkit's additions. */
export const settingsSchema = z.strictObject({
  $schema: z.string().optional(),
  logFile: logFileSchema,
  forwarding: forwardingSchema,
  format: formatSchema,
  contents: contentsSchema,
  highAvailability: bool().default(false),
});

/** Settings as written in a file (every key optional). */
export type SettingsInput = z.input<typeof settingsSchema>;
/** Settings after validation, with every default applied. */
export type Settings = z.output<typeof settingsSchema>;
export type LogFileSettings = Settings['logFile'];
export type ForwardingSettings = Settings['forwarding'];
export type FormatSettings = Settings['format'];
export type ContentsSettings = Settings['contents'];

/** Reports why a path given in the settings cannot be read, or `undefined` when it can. Supplied by the I/O layer. */
export type FileCheck = (path: string) => string | undefined;

function crossFieldProblems(s: Settings, checkFile: FileCheck | undefined): string[] {
  const problems: string[] = [];
  if (s.highAvailability && s.logFile.enabled) {
    problems.push(
      'logFile.enabled: must be false in High Availability mode (highAvailability: true); send to the SIEM instead',
    );
  }
  const tls = s.forwarding.tls;
  if (tls.enabled || s.forwarding.enabled) {
    if ((tls.clientCertificate === null) !== (tls.clientKey === null)) {
      const missing = tls.clientCertificate === null ? 'clientCertificate' : 'clientKey';
      problems.push(
        `forwarding.tls.${missing}: must be given together with forwarding.tls.${missing === 'clientKey' ? 'clientCertificate' : 'clientKey'}`,
      );
    }
  }
  if (tls.enabled && checkFile) {
    for (const key of ['serverCertificate', 'clientCertificate', 'clientKey'] as const) {
      const file = tls[key];
      const problem = file === null ? undefined : checkFile(file);
      if (problem) problems.push(`forwarding.tls.${key}: ${problem}`);
    }
  }
  if (!tls.enabled && (tls.fingerprint || tls.serverName || tls.clientCertificate)) {
    problems.push(
      'forwarding.tls.enabled: must be true when fingerprint, serverName or a client certificate is set',
    );
  }
  if (s.forwarding.reconnect.maxDelayMs < s.forwarding.reconnect.initialDelayMs) {
    problems.push('forwarding.reconnect.maxDelayMs: must be >= forwarding.reconnect.initialDelayMs');
  }
  const isLeef = s.format.logFormat !== 'cef';
  const dateProblem = dateFormatProblem(s.format.dateFormat, isLeef);
  if (dateProblem) problems.push(`format.dateFormat: ${dateProblem}`);
  if (isLeef) {
    for (const key of ['vendor', 'product', 'productVersion'] as const) {
      if (s.format[key]?.includes('|'))
        problems.push(`format.${key}: must not contain "|" with LEEF (LEEF has no escape for it)`);
    }
    if (s.format.logFormat === 'leef' && s.format.leefDelimiter !== '^') {
      problems.push(
        'format.leefDelimiter: LEEF 1.0 always uses TAB; choose logFormat "leef2" for a custom delimiter',
      );
    }
  }
  return problems;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(settings)' : path.map(String).join('.');
}

/**
 * Validates a settings object, applies defaults and returns it, or throws `InvalidSettingsError` listing
 * every problem as `path: problem` (unknown keys included), cross-field rules included.
 */
export function parseSettings(input: unknown, options: { checkFile?: FileCheck } = {}): Settings {
  const result = settingsSchema.safeParse(input ?? {});
  if (result.success) {
    const problems = crossFieldProblems(result.data, options.checkFile);
    if (problems.length > 0) throw new InvalidSettingsError(problems);
    return result.data;
  }
  const problems: string[] = [];
  const badPaths: PropertyKey[][] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push(`${issuePath([...issue.path, key])}: unknown key`);
        badPaths.push([...issue.path, key]);
      }
    } else {
      problems.push(`${issuePath(issue.path)}: ${issue.message}`);
      badPaths.push(issue.path);
    }
  }
  // Every problem at once: the cross-field rules also run on the rest, the bad values replaced by defaults.
  const rest = settingsSchema.safeParse(withoutPaths(input ?? {}, badPaths));
  if (rest.success) problems.push(...crossFieldProblems(rest.data, options.checkFile));
  throw new InvalidSettingsError(problems);
}

/** A deep copy of `value` without the values at `paths` (so the schema's defaults take their place). */
function withoutPaths(value: unknown, paths: PropertyKey[][]): unknown {
  const copy = structuredClone(value) as Record<PropertyKey, unknown>;
  for (const path of paths) {
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = (node as Record<PropertyKey, unknown> | undefined)?.[key];
    if (node !== null && typeof node === 'object' && path.length > 0)
      delete (node as Record<PropertyKey, unknown>)[path.at(-1)!];
  }
  return copy;
}

/** The effective framing: octet counting with TLS (RFC 5425), LF without, unless set. */
export function effectiveFraming(forwarding: ForwardingSettings): 'octet-counting' | 'lf' {
  return forwarding.framing ?? (forwarding.tls.enabled ? 'octet-counting' : 'lf');
}
