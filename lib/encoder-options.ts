import type { EncoderStats } from './escape.js';
import type { EventKind, SiemEvent } from './events.js';
import type { KindHeader, MappingOverride } from './field-mapping.js';

/** Options every encoder takes; every field has a default. */
export interface EncoderOptions {
  /** Header vendor (CEF: max 63 bytes). @defaultValue `'siemkit'` */
  vendor?: string | null;
  /** Header product (CEF: max 63 bytes). @defaultValue `'siemkit'` */
  product?: string | null;
  /** Header product version (CEF: max 31 bytes). @defaultValue the siemkit version */
  productVersion?: string | null;
  /** `format.dateFormat`: a preset (`epoch-ms`, `cef`, `iso8601`) or a luxon pattern. @defaultValue `'epoch-ms'` */
  dateFormat?: string;
  /** IANA zone for formatted dates. @defaultValue `'UTC'` */
  timeZone?: string;
  /** Changes to the default field mapping, per kind and field; `null` leaves a field out. */
  mapping?: MappingOverride;
  /** Changes to the page's header constants and siemkit's severities, per kind. */
  headers?: Partial<Record<EventKind, Partial<KindHeader>>>;
  /** Check each event against the event model first (throws `InvalidEventError`). @defaultValue `true` */
  validate?: boolean;
}

/** Formats one event as a record line (no syslog header, no line end). Throws `InvalidEventError` for a bad event. */
export interface Encoder {
  (event: SiemEvent): string;
  /** Values truncated to their key's limit, and characters replaced for want of an escape. */
  readonly stats: EncoderStats;
}
