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

/** Field-level differences between two record lists, in order; a length difference is one mismatch. */
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
    const got = actual[index] as Record<string, unknown> | undefined;
    for (const field of new Set([...Object.keys(want), ...Object.keys(got ?? {})])) {
      const a = got?.[field];
      const e = want[field];
      if (isDeepStrictEqual(a, e)) continue;
      if (isRecord(a) && isRecord(e)) {
        for (const sub of new Set([...Object.keys(e), ...Object.keys(a)])) {
          if (a[sub] !== e[sub])
            out.push({ index, field: `${field}.${sub}`, expected: e[sub], actual: a[sub] });
        }
      } else out.push({ index, field, expected: e, actual: a });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
