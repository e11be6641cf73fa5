import { type CefEncoderOptions, createCefEncoder } from './cef.js';
import type { EncoderStats } from './escape.js';
import { EVENT_KINDS, type EventKind, parseEventTime, type SiemEvent } from './events.js';
import { kindHeader } from './field-mapping.js';
import { createLeefEncoder } from './leef.js';
import type { FormatSettings } from './settings.js';

/** A formatted record and what a syslog header needs to know about its event. */
export interface FormattedRecord {
  /** The CEF or LEEF line, without syslog header or line end. */
  text: string;
  kind: EventKind;
  /** Severity 0-10 as written in the record. */
  severity: number;
  /** The event's time, epoch milliseconds. */
  timeMs: number;
}

export type RecordFormat = 'cef' | 'leef' | 'leef2';

/** Options of `createRecordFormatter`: the encoder options plus the format. */
export interface RecordFormatterOptions extends CefEncoderOptions {
  /** `cef`, `leef` (LEEF 1.0, TAB) or `leef2` (LEEF 2.0). @defaultValue `'cef'` */
  format?: RecordFormat;
  /** LEEF 2.0 delimiter. @defaultValue `'^'` */
  delimiter?: string;
}

export interface RecordFormatter {
  (event: SiemEvent): FormattedRecord;
  /** Formats to the line alone. */
  readonly text: (event: SiemEvent) => string;
  readonly stats: EncoderStats;
}

/** Builds the encoder a format names and wraps its output with the event's kind, severity and time. */
export function createRecordFormatter(options: RecordFormatterOptions = {}): RecordFormatter {
  const format = options.format ?? 'cef';
  const encode =
    format === 'cef'
      ? createCefEncoder(options)
      : createLeefEncoder({ ...options, version: format === 'leef' ? '1.0' : '2.0' });
  const severities = {} as Record<EventKind, number>;
  for (const kind of EVENT_KINDS) {
    severities[kind] = kindHeader(kind, options.headers).severity;
  }
  const formatRecord = (event: SiemEvent): FormattedRecord => {
    const text = encode(event);
    const timeMs = typeof event.time === 'number' ? event.time : (parseEventTime(event.time) as number);
    return { text, kind: event.kind, severity: severities[event.kind], timeMs };
  };
  return Object.assign(formatRecord, { text: encode as (event: SiemEvent) => string, stats: encode.stats });
}

/** Formatter options from the settings' `format` section. */
export function formatterOptions(format: FormatSettings): RecordFormatterOptions {
  return {
    format: format.logFormat,
    delimiter: format.leefDelimiter,
    dateFormat: format.dateFormat,
    timeZone: format.timeZone,
    vendor: format.vendor,
    product: format.product,
    productVersion: format.productVersion,
    spaceBeforeExtension: format.cefSpaceBeforeExtension,
  };
}
