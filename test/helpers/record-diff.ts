// Compares what a parser gave back with what went in, record by record, and reports only mismatches
// (a full deep-equal diff of hundreds of 4 KiB records is unreadable).
import { isDeepStrictEqual } from 'node:util';
import { cefExtValue, cefHeaderValue, type FlatRecord, PRODUCT, VENDOR, VERSION } from './test-records.js';

/** liblognorm's `cef` field for a record, as a correct parse must produce it. */
export function expectedCef(record: FlatRecord): Record<string, unknown> {
  const ext: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.pairs)) ext[key] = cefExtValue(value);
  return {
    DeviceVendor: cefHeaderValue(VENDOR),
    DeviceProduct: cefHeaderValue(PRODUCT),
    DeviceVersion: cefHeaderValue(VERSION),
    SignatureID: cefHeaderValue(record.signatureId),
    Name: cefHeaderValue(record.name),
    Severity: '5',
    Extensions: ext,
  };
}

export interface Mismatch {
  index: number;
  field: string;
  expected: unknown;
  actual: unknown;
}

/** Leaf-level differences between two record lists, in order; a length difference is one mismatch. */
export function diffRecords(
  actual: readonly unknown[],
  expected: readonly Record<string, unknown>[],
  limit = 10,
): Mismatch[] {
  const out: Mismatch[] = [];
  if (actual.length !== expected.length) {
    out.push({ index: -1, field: '(count)', expected: expected.length, actual: actual.length });
  }
  for (const [index, want] of expected.entries()) {
    diffValue(index, '', actual[index], want, out);
    if (out.length >= limit) return out.slice(0, limit);
  }
  return out;
}

function diffValue(index: number, field: string, actual: unknown, expected: unknown, out: Mismatch[]): void {
  if (isDeepStrictEqual(actual, expected)) return;
  if (isRecord(actual) && isRecord(expected)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      diffValue(index, field ? `${field}.${key}` : key, actual[key], expected[key], out);
    }
    return;
  }
  out.push({ index, field, expected: shorten(expected, actual), actual: shorten(actual, expected) });
}

// Long values are cut to a window around the first differing character, with their lengths.
function shorten(value: unknown, other: unknown): unknown {
  if (typeof value !== 'string' || value.length <= 200) return value;
  let at = 0;
  const o = typeof other === 'string' ? other : '';
  while (at < value.length && value[at] === o[at]) at++;
  return `[${value.length} chars, differs at ${at}] ...${value.slice(Math.max(0, at - 40), at + 80)}...`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
