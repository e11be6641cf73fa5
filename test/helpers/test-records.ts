// Test-only CEF/LEEF writers that follow wire-formats §1.5 and §2.2 to the letter. They prove the
// harness until lib/cef.ts and lib/leef.ts land; then the interop tests switch to the real encoders.
import { parseEventTime, type SiemEvent } from '../../lib/events.js';

/** An event flattened to header fields and pairs, values still raw (unescaped, unsanitized). */
export interface FlatRecord {
  signatureId: string;
  name: string;
  pairs: Record<string, string>;
}

function nameOf(event: SiemEvent): string {
  switch (event.kind) {
    case 'alert':
      return event.alertName;
    case 'audit':
      return event.action;
    case 'client-record':
      return event.user;
    case 'client-status':
      return event.status;
  }
}

/**
 * Field name as key (all are alphanumeric camelCase), `time` as `rt` epoch ms, `id` as `externalId`.
 * Empty values are left out: liblognorm rejects a whole record whose last value is empty.
 */
export function flatten(event: SiemEvent): FlatRecord {
  const pairs: Record<string, string> = {};
  for (const [field, value] of Object.entries(event)) {
    if (field === 'kind') continue;
    const text =
      field === 'time'
        ? String(parseEventTime(value))
        : Array.isArray(value)
          ? value.join(',')
          : String(value);
    if (text === '') continue;
    pairs[field === 'time' ? 'rt' : field === 'id' ? 'externalId' : field] = text;
  }
  return { signatureId: event.kind, name: nameOf(event), pairs };
}

export const VENDOR = 'Siemkit\\Test|Vendor';
export const PRODUCT = 'Interop';
export const VERSION = '1.0';

// Library policy (§1.5): controls other than escaped CR/LF become a space; the same in LEEF (§2.2).
const HEADER_CONTROL = /[\x00-\x1f\x7f]/g;
const VALUE_CONTROL = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/g;

/** What a correct CEF parser must give back for a header field. */
export const cefHeaderValue = (text: string): string => text.replace(HEADER_CONTROL, ' ');
/** What a correct CEF parser must give back for an extension value. */
export const cefExtValue = (text: string): string => text.replace(VALUE_CONTROL, ' ');

const escapeHeader = (text: string): string => cefHeaderValue(text).replace(/[\\|]/g, '\\$&');
// Backslash first, in one pass, so the escapes written for `=`, CR and LF are not doubled.
const escapeValue = (text: string): string =>
  cefExtValue(text).replace(/[\\=\r\n]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\' + c));

/** A CEF line; `spaceBeforeExtension` writes the space liblognorm issue 363 needs. */
export function formatTestCef(record: FlatRecord, spaceBeforeExtension = true): string {
  const header = [VENDOR, PRODUCT, VERSION, record.signatureId, record.name].map(escapeHeader).join('|');
  const ext = Object.entries(record.pairs)
    .map(([k, v]) => `${k}=${escapeValue(v)}`)
    .join(' ');
  return `CEF:0|${header}|5|${spaceBeforeExtension ? ' ' : ''}${ext}`;
}

export type LeefVersion = '1.0' | '2.0';

/** LEEF has no escapes (§2.2): the delimiter, `|` in headers and controls become a space. */
export function leefValue(text: string, delimiter: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, ' ').replaceAll(delimiter, ' ');
}
export const leefHeaderValue = (text: string): string => text.replace(/[\x00-\x1f\x7f|]/g, ' ');

/** A LEEF line: 1.0 with TAB, 2.0 with `^` written as the hex form `x5E` or literally. */
export function formatTestLeef(record: FlatRecord, version: LeefVersion, hexDelimiter = false): string {
  const delimiter = version === '1.0' ? '\t' : '^';
  const header = [VENDOR, PRODUCT, VERSION, record.signatureId].map(leefHeaderValue).join('|');
  const delimField = version === '2.0' ? `${hexDelimiter ? 'x5E' : '^'}|` : '';
  const pairs = Object.entries(record.pairs)
    .map(([k, v]) => `${k === 'rt' ? 'devTime' : k}=${leefValue(v, delimiter)}`)
    .join(delimiter);
  return `LEEF:${version}|${header}|${delimField}${pairs}`;
}
