// The fast path of an encoder: one generated function per record variant that checks the event model
// as it reads each field and writes the whole line in one pass. An event it cannot vouch for goes to the
// reference path (validateEvent, then the per-field writer), so errors, bytes and stats stay exactly those
// of the reference path; escaping counts into a scratch object until the event is known to be valid.

import type { EncoderStats } from './escape.js';
import { EVENT_FIELD_RULES, type EventKind, MAX_TIME_MS, MIN_TIME_MS, parseEventTime } from './events.js';
import { isIPv4, isIPv6 } from './net-address.js';
import {
  type Escaper,
  type PlanStep,
  RECORD_KEY,
  type Variant,
  valueText,
  variantFields,
} from './record-plan.js';

/** The line, or `0`: not proven valid (or a time only the reference path writes), take the reference path. */
export type FastResult = string | 0;
export type FastRecordWriter = (event: object, stats: EncoderStats) => FastResult;

export interface FastRecordSpec {
  kind: EventKind;
  variant: Variant;
  steps: readonly PlanStep[];
  /** Header up to the time value. */
  head: string;
  /** Constant text right after the time (LEEF `devTimeFormat`). */
  afterTime: string;
  /** Constant text after the fields (CEF `cat`). */
  tail: string;
  /** The escaper's fast-path test. */
  special: RegExp;
  /** The escaper itself. */
  escape: Escaper;
  /** Epoch milliseconds to the record's date text. */
  formatDate: (ms: number) => string;
  /** Prove each event valid first (the encoder's `validate` option). */
  validate: boolean;
}

function isStrings(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/**
 * Compiles one variant's fast path. Validation is inline: each field's type is checked as it is read,
 * and unknown fields (or another platform's) are caught by comparing the number of keys `for...in` sees
 * with the number of known fields present, as the reference check iterates the same keys. Inline checks
 * took "siemkit CEF" from 0.45x to 0.6x the floor (bench/format.bench.ts); testing all values with one
 * regex instead of one per value measured slower (0.41-0.50x), as URLs with a query make most CEF
 * session records need escaping anyway.
 */
export function compileFastRecord(spec: FastRecordSpec): FastRecordWriter {
  const rules = EVENT_FIELD_RULES[spec.kind];
  const stepOf = new Map(spec.steps.map((s) => [s.field, s]));
  const js = JSON.stringify;
  const lines: string[] = ['let v, t, ms, escaped = false;'];
  const dispatch = spec.kind === 'audit' ? 0 : 1; // platform or status already chose this variant
  if (spec.validate) lines.push(`let n = ${1 + dispatch};`);

  // Time first: the line starts with it.
  lines.push('v = e.time;');
  if (spec.validate) {
    lines.push(
      `if (typeof v === 'number') { if (!(v >= ${MIN_TIME_MS} && v <= ${MAX_TIME_MS} && Number.isInteger(v))) return 0; ms = v; }`,
      `else if (typeof v === 'string') { ms = parseTime(v); if (typeof ms !== 'number') return 0; }`,
      'else return 0;',
      'n++;',
    );
  } else {
    lines.push(
      `if (typeof v === 'number') ms = v;`,
      `else { ms = parseTime(v); if (typeof ms !== 'number') return 0; }`,
    );
  }
  lines.push(
    `let s = ${js(spec.head)} + date(ms)${spec.afterTime === '' ? '' : ` + ${js(spec.afterTime)}`};`,
  );

  const written = spec.steps.map((s) => s.field);
  const checkedOnly = spec.validate
    ? variantFields(spec.kind, spec.variant, Object.keys(rules)).filter(
        (f) => !stepOf.has(f) && f !== 'time' && f !== 'platform' && f !== 'status',
      )
    : [];
  for (const field of [...written, ...checkedOnly]) {
    if (!RECORD_KEY.test(field)) throw new Error(`not a field name: ${field}`);
    const rule = rules[field];
    const step = stepOf.get(field);
    const required = spec.validate && rule?.required === true;
    lines.push(`v = e.${field};`);
    lines.push(required ? 'if (v == null) return 0;' : 'if (v != null) {');
    const type = rule?.type;
    if (spec.validate && type !== 'status' && type !== 'platform') {
      // (platform and status chose this variant, so they are valid and already counted)
      lines.push('n++;');
      if (type === 'string') lines.push(`if (typeof v !== 'string') return 0;`);
      else if (type === 'id')
        lines.push(
          `if (typeof v === 'string') { if (v === '') return 0; } else if (!Number.isSafeInteger(v)) return 0;`,
        );
      else if (type === 'strings') lines.push('if (!isStrings(v)) return 0;');
      else if (type === 'ipv4') lines.push(`if (typeof v !== 'string' || !isIPv4(v)) return 0;`);
      else if (type === 'ipv6') lines.push(`if (typeof v !== 'string' || !isIPv6(v)) return 0;`);
      else if (type === 'ip') lines.push(`if (typeof v !== 'string' || !(isIPv4(v) || isIPv6(v))) return 0;`);
      else return () => 0; // a type this compiler does not know: always the reference path
    }
    if (step) {
      const trusted = step.trusted === true;
      lines.push(`t = typeof v === 'string' ? v : text(v);`);
      const guard = step.onlyIfAbsent === undefined ? '' : `e.${step.onlyIfAbsent} == null && `;
      lines.push(`if (${guard}t !== '') {`);
      if (!trusted) {
        // Escaping counts into a scratch object until the whole event is known to be valid.
        lines.push(
          `  if (special.test(t) || t.length * 3 > ${step.maxBytes}) {`,
          '    if (!escaped) { escaped = true; scratch.truncated = 0; scratch.neutralised = 0; }',
          `    t = esc(t, ${step.maxBytes}, scratch);`,
          '  }',
        );
      }
      const put = (prefix: string, suffix: string) =>
        `s += ${js(prefix)} + t${suffix === '' ? '' : ` + ${js(suffix)}`};`;
      if (step.fallback) {
        lines.push(
          `  if (e.${step.fallback.ifAbsent} == null) { ${put(step.fallback.prefix, step.fallback.suffix)} }`,
          `  else { ${put(step.prefix, step.suffix)} }`,
        );
      } else {
        lines.push(`  ${put(step.prefix, step.suffix)}`);
      }
      lines.push('}');
    }
    if (!required) lines.push('}');
  }
  if (spec.validate) {
    for (const field of Object.keys(rules)) {
      if (rules[field]!.required && !written.includes(field) && !checkedOnly.includes(field)) {
        if (field !== 'time' && field !== 'platform' && field !== 'status') return () => 0;
      }
    }
    // Unknown fields (and fields of another platform) are keys the reads above did not count.
    lines.push('let k = 0;', 'for (const key in e) k++;', 'if (k !== n) return 0;');
  }
  lines.push(
    'if (escaped) { stats.truncated += scratch.truncated; stats.neutralised += scratch.neutralised; }',
  );
  lines.push(spec.tail === '' ? 'return s;' : `return s + ${js(spec.tail)};`);
  const factory = new Function(
    'special',
    'date',
    'parseTime',
    'text',
    'isStrings',
    'isIPv4',
    'isIPv6',
    'esc',
    'scratch',
    `return function writeRecord(e, stats) {\n${lines.join('\n')}\n};`,
  );
  return factory(
    spec.special,
    spec.formatDate,
    parseEventTime,
    valueText,
    isStrings,
    isIPv4,
    isIPv6,
    spec.escape,
    { truncated: 0, neutralised: 0 },
  ) as FastRecordWriter;
}
