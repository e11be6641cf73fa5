import type { EventKind } from './events.js';

/** Where one event field goes in a record: the key, the label for CEF's labelled custom slots, a byte limit. */
export interface FieldMapping {
  key: string;
  /** Required for CEF's labelled slots (`csN`, `cnN`, `c6aN`, `flexStringN`, ...); written as `<key>Label`. */
  label?: string;
  /** Maximum escaped UTF-8 bytes; the dictionary's limit for the key when absent. */
  maxBytes?: number;
}

/** Field → mapping per kind; `null` leaves the field out of the record. */
export type KindMapping = Record<string, FieldMapping | null>;
export type RecordMapping = Record<EventKind, KindMapping>;
/** A user's changes to a default mapping: per kind, per field. */
export type MappingOverride = Partial<Record<EventKind, KindMapping>>;

/** Page constants per kind (Device Event Class ID / LEEF EventID, Name, cat) and the severities siemkit picks. */
export interface KindHeader {
  classId: string;
  name: string;
  category: string;
  /** 0-10; CEF writes it in the header, LEEF as `sev` (1-10). */
  severity: number;
}

export const KIND_HEADERS: Record<EventKind, KindHeader> = {
  'client-record': { classId: '100', name: 'EkranClientEvent', category: 'ClientEvents', severity: 3 },
  alert: { classId: '200', name: 'EkranAlertEvent', category: 'AlertEvents', severity: 7 },
  audit: { classId: '300', name: 'EkranMTLogEvent', category: 'MTLogEvents', severity: 10 },
  'client-status': { classId: '400', name: 'EkranClientEvent', category: 'ClientEvents', severity: 1 },
};

/**
 * Fields of a client-status record per status and format, as the settings page lists them:
 * CEF offline: client, OS, IPv4, IPv6, domain, status; CEF online: client, OS, status;
 * LEEF offline: client, IPv4 (or IPv6 without IPv4), status; LEEF online: client, status. `time` always.
 */
export const STATUS_FIELDS = {
  cef: {
    offline: ['time', 'client', 'os', 'ipv4', 'ipv6', 'domain', 'status'],
    online: ['time', 'client', 'os', 'status'],
  },
  leef: { offline: ['time', 'client', 'ipv4', 'ipv6', 'status'], online: ['time', 'client', 'status'] },
} as const;

/** Merges a user's override into a default mapping, kind by kind and field by field. */
export function mergeMapping(base: RecordMapping, override: MappingOverride | undefined): RecordMapping {
  if (!override) return base;
  const merged = { ...base };
  for (const [kind, fields] of Object.entries(override) as [EventKind, KindMapping][]) {
    merged[kind] = { ...base[kind], ...fields };
  }
  return merged;
}

/** The header constants in force for `kind`: the page's, with a user's overrides applied. */
export function kindHeader(
  kind: EventKind,
  overrides?: Partial<Record<EventKind, Partial<KindHeader>>>,
): KindHeader {
  return { ...KIND_HEADERS[kind], ...overrides?.[kind] };
}
