import { InvalidEventError } from './errors.js';
import { isIPv4, isIPv6 } from './net-address.js';

/** Event timestamp: ISO 8601 text with an offset (`Z` or `±hh:mm`), or epoch milliseconds. */
export type EventTime = string | number;
export type Platform = 'windows' | 'linux' | 'macos';

interface SessionFields {
  /** Record id, carried as CEF `externalId`; lets a SIEM drop duplicates. */
  id?: string | number;
  time: EventTime;
  platform: Platform;
  user: string;
  secondaryUser?: string;
  client: string;
  domain?: string;
  os?: string;
  ipv4?: string;
  ipv6?: string;
  remoteIp?: string;
  sessionPlayerUrl?: string;
  // Windows and macOS clients
  title?: string;
  application?: string;
  url?: string;
  keystrokes?: string;
  // Linux clients
  command?: string;
  function?: string;
  parameters?: string;
}

/** A Windows, macOS or Linux client session record. */
export interface ClientRecordEvent extends SessionFields {
  kind: 'client-record';
  /** Windows/macOS: the alert or USB rule that matched. */
  rule?: string;
  /** Linux: the alert that matched. */
  alert?: string;
}

/** An alert triggered on a client: every session field plus the alert's identity. */
export interface AlertEvent extends SessionFields {
  kind: 'alert';
  alertId: string | number;
  alertName: string;
  alertDescription?: string;
}

/** An entry of the management audit log. */
export interface AuditEvent {
  kind: 'audit';
  id: string | number;
  time: EventTime;
  user: string;
  userGroups?: string[];
  category: string;
  action: string;
  object?: string;
  details?: string;
}

/** A client going offline or coming online. */
export interface ClientStatusEvent {
  kind: 'client-status';
  time: EventTime;
  status: 'online' | 'offline';
  client: string;
  os?: string;
  ipv4?: string;
  ipv6?: string;
  domain?: string;
}

export type SiemEvent = ClientRecordEvent | AlertEvent | AuditEvent | ClientStatusEvent;
export type EventKind = SiemEvent['kind'];
export const EVENT_KINDS: readonly EventKind[] = ['client-record', 'alert', 'audit', 'client-status'];

type FieldType = 'string' | 'id' | 'time' | 'platform' | 'status' | 'ipv4' | 'ipv6' | 'ip' | 'strings';
interface FieldRule {
  type: FieldType;
  required: boolean;
  /** Platforms the field belongs to; absent means every platform. */
  platforms?: readonly Platform[];
}

const WINDOWS_MAC: readonly Platform[] = ['windows', 'macos'];
const LINUX: readonly Platform[] = ['linux'];
const req = (type: FieldType): FieldRule => ({ type, required: true });
const opt = (type: FieldType, platforms?: readonly Platform[]): FieldRule => ({
  type,
  required: false,
  platforms,
});

const SESSION_RULES: Record<string, FieldRule> = {
  id: opt('id'),
  time: req('time'),
  platform: req('platform'),
  user: req('string'),
  secondaryUser: opt('string'),
  client: req('string'),
  domain: opt('string'),
  os: opt('string'),
  ipv4: opt('ipv4'),
  ipv6: opt('ipv6'),
  remoteIp: opt('ip'),
  sessionPlayerUrl: opt('string'),
  title: opt('string', WINDOWS_MAC),
  application: opt('string', WINDOWS_MAC),
  url: opt('string', WINDOWS_MAC),
  keystrokes: opt('string', WINDOWS_MAC),
  command: opt('string', LINUX),
  function: opt('string', LINUX),
  parameters: opt('string', LINUX),
};

/** Field rules per kind: the settings page's field lists, per platform. */
export const EVENT_FIELD_RULES: Record<EventKind, Record<string, FieldRule>> = {
  'client-record': { ...SESSION_RULES, rule: opt('string', WINDOWS_MAC), alert: opt('string', LINUX) },
  alert: { ...SESSION_RULES, alertId: req('id'), alertName: req('string'), alertDescription: opt('string') },
  audit: {
    id: req('id'),
    time: req('time'),
    user: req('string'),
    userGroups: opt('strings'),
    category: req('string'),
    action: req('string'),
    object: opt('string'),
    details: opt('string'),
  },
  'client-status': {
    time: req('time'),
    status: req('status'),
    client: req('string'),
    os: opt('string'),
    ipv4: opt('ipv4'),
    ipv6: opt('ipv6'),
    domain: opt('string'),
  },
};

// ISO 8601 / RFC 3339 date-time with a mandatory offset; fractions of any length.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;
// 0001-01-01 .. 9999-12-31: what every date format here can write.
export const MIN_TIME_MS = -62_135_596_800_000;
export const MAX_TIME_MS = 253_402_300_799_999;

/** Reads an event's `time` as epoch milliseconds, or returns why it cannot. */
export function parseEventTime(time: unknown): number | string {
  if (typeof time === 'number') {
    if (!Number.isInteger(time)) return `must be whole epoch milliseconds, got ${time}`;
    if (time < MIN_TIME_MS || time > MAX_TIME_MS)
      return `epoch milliseconds out of range (years 1-9999), got ${time}`;
    return time;
  }
  if (typeof time !== 'string')
    return `must be an ISO 8601 string with an offset or epoch milliseconds, got ${typeName(time)}`;
  const m = ISO_WITH_OFFSET.exec(time);
  if (!m) return `must be ISO 8601 with an offset (e.g. 2024-06-01T12:00:00Z), got ${JSON.stringify(time)}`;
  // Date.parse rolls 2024-02-31 over into March; a security timeline must not move silently.
  const [year, month, day, hour, minute, second = '0', offsetHour = '0', offsetMinute = '0'] = m.slice(
    1,
  ) as string[];
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (
    Number(month) < 1 ||
    Number(month) > 12 ||
    Number(day) < 1 ||
    Number(day) > daysInMonth ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59 ||
    Number(offsetHour) > 23 ||
    Number(offsetMinute) > 59
  ) {
    return `is not a real date: ${JSON.stringify(time)}`;
  }
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return `is not a real date: ${JSON.stringify(time)}`;
  return ms;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function fieldProblem(type: FieldType, value: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, got ${typeName(value)}`;
    case 'id':
      if (typeof value === 'string') return value === '' ? 'must not be empty' : undefined;
      return Number.isSafeInteger(value)
        ? undefined
        : `must be a string or an integer, got ${typeName(value)}`;
    case 'time': {
      const ms = parseEventTime(value);
      return typeof ms === 'string' ? ms : undefined;
    }
    case 'platform':
      return value === 'windows' || value === 'linux' || value === 'macos'
        ? undefined
        : `must be "windows", "linux" or "macos", got ${typeName(value)}`;
    case 'status':
      return value === 'online' || value === 'offline'
        ? undefined
        : `must be "online" or "offline", got ${typeName(value)}`;
    case 'ipv4':
      return typeof value === 'string' && isIPv4(value)
        ? undefined
        : `must be an IPv4 address, got ${typeName(value)}`;
    case 'ipv6':
      return typeof value === 'string' && isIPv6(value)
        ? undefined
        : `must be an IPv6 address, got ${typeName(value)}`;
    case 'ip':
      return typeof value === 'string' && (isIPv4(value) || isIPv6(value))
        ? undefined
        : `must be an IPv4 or IPv6 address, got ${typeName(value)}`;
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? undefined
        : `must be an array of strings, got ${typeName(value)}`;
  }
}

/**
 * Checks an unknown value against the event model and returns it typed, or throws `InvalidEventError`
 * naming the first bad field and the reason. Unknown fields are errors: a field siemkit does not map
 * would otherwise be lost without a trace.
 */
export function validateEvent(value: unknown): SiemEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidEventError({
      kind: undefined,
      field: '(event)',
      reason: `must be a JSON object, got ${typeName(value)}`,
    });
  }
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !(EVENT_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidEventError({
      kind: undefined,
      field: 'kind',
      reason: `must be one of ${EVENT_KINDS.map((k) => `"${k}"`).join(', ')}, got ${typeName(kind)}`,
    });
  }
  const rules = EVENT_FIELD_RULES[kind as EventKind];
  const platform = record.platform;
  for (const field in record) {
    if (field === 'kind') continue;
    const rule = rules[field];
    const v = record[field];
    if (rule === undefined)
      throw new InvalidEventError({ kind, field, reason: `unknown field for kind "${kind}"` });
    if (v === undefined || (v === null && !rule.required)) continue;
    const problem = fieldProblem(rule.type, v);
    if (problem) throw new InvalidEventError({ kind, field, reason: problem });
    if (rule.platforms && typeof platform === 'string' && !rule.platforms.includes(platform as Platform)) {
      throw new InvalidEventError({
        kind,
        field,
        reason: `is not a field of ${platform} clients (only ${rule.platforms.join(', ')})`,
      });
    }
  }
  for (const field in rules) {
    if (rules[field]!.required && (record[field] === undefined || record[field] === null)) {
      throw new InvalidEventError({ kind, field, reason: 'is required' });
    }
  }
  return value as SiemEvent;
}
