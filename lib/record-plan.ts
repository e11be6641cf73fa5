import type { EncoderStats } from './escape.js';
import { EVENT_FIELD_RULES, type EventKind, type Platform, type SiemEvent } from './events.js';
import type { FastRecordWriter } from './record-compiler.js';

/** One optional field of a record, with everything constant about it computed at build time. */
export interface PlanStep {
  field: string;
  /** Separator, key and `=`; e.g. ` suser=`. */
  prefix: string;
  /** What follows the value; e.g. ` cs1Label=Secondary User`, or empty. */
  suffix: string;
  maxBytes: number;
  /** The value was validated as an IP address, which never needs escaping; skip the test. */
  trusted?: boolean;
  /** Write this field only when `onlyIfAbsent` is missing from the event (LEEF: IPv6 only without IPv4). */
  onlyIfAbsent?: string;
  /** When `ifAbsent` is missing, write under `prefix` instead (LEEF: IPv6 in `src` without IPv4). */
  fallback?: { ifAbsent: string; prefix: string; suffix: string };
}

/** Everything constant about one kind (and platform or status) of record. */
export interface RecordPlan {
  /** Writes the fields, compiled from `steps` (see compileFieldWriter). */
  write: FieldWriter;
  /** Header plus the separator and key of the time field. */
  head: string;
  /** Constant text right after the time (LEEF `devTimeFormat`). */
  afterTime: string;
  steps: PlanStep[];
  /** Constant text after the fields (CEF `cat`). */
  tail: string;
  /** The compiled fast path (see compileFastRecord). */
  fast: FastRecordWriter;
}

/** A CEF/LEEF key, and an event field name: letters and digits, a letter first (also safe in generated code). */
export const RECORD_KEY = /^[A-Za-z][A-Za-z0-9]*$/;

/** The variant of a kind that changes which fields a record carries. */
export type Variant = Platform | 'online' | 'offline' | 'all';
export const KIND_VARIANTS: Record<EventKind, readonly Variant[]> = {
  'client-record': ['windows', 'macos', 'linux'],
  alert: ['windows', 'macos', 'linux'],
  audit: ['all'],
  'client-status': ['online', 'offline'],
};

export type PlanTable = Record<EventKind, Partial<Record<Variant, RecordPlan>>>;

/** Fields of `kind` that a record of `variant` may carry, in the mapping's order. */
/** Fields the event model validates as IP addresses: they hold no character any format escapes. */
export function isAddressField(kind: EventKind, field: string): boolean {
  const type = EVENT_FIELD_RULES[kind][field]?.type;
  return type === 'ipv4' || type === 'ipv6' || type === 'ip';
}

export function variantFields(kind: EventKind, variant: Variant, order: readonly string[]): string[] {
  const rules = EVENT_FIELD_RULES[kind];
  return order.filter((field) => {
    const rule = rules[field];
    if (!rule) return false;
    return !rule.platforms || rule.platforms.includes(variant as Platform);
  });
}

export function planFor(plans: PlanTable, event: SiemEvent): RecordPlan {
  switch (event.kind) {
    case 'audit':
      return plans.audit.all!;
    case 'client-status':
      return plans['client-status'][event.status]!;
    default:
      return plans[event.kind][event.platform]!;
  }
}

/**
 * The plan of an event of any shape, or `undefined` when its kind, platform or status has none (the
 * reference path then reports why). Only own plan keys are returned, never inherited properties.
 */
export function lookupPlan(plans: PlanTable, event: object): RecordPlan | undefined {
  const e = event as { kind?: unknown; platform?: unknown; status?: unknown };
  switch (e.kind) {
    case 'client-record':
    case 'alert': {
      const p = e.platform;
      const byPlatform = plans[e.kind];
      return p === 'windows'
        ? byPlatform.windows
        : p === 'linux'
          ? byPlatform.linux
          : p === 'macos'
            ? byPlatform.macos
            : undefined;
    }
    case 'audit':
      return plans.audit.all;
    case 'client-status':
      return e.status === 'online'
        ? plans['client-status'].online
        : e.status === 'offline'
          ? plans['client-status'].offline
          : undefined;
    default:
      return undefined;
  }
}

/** Text of a field value: strings as they are, ids as decimal, group lists joined with `, `. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export type Escaper = (value: string, maxBytes: number, stats: EncoderStats) => string;

/** A compiled plan: writes the fields of one record variant after its head and time. */
export type FieldWriter = (event: SiemEvent, stats: EncoderStats) => string;

/**
 * Compiles a plan into one unrolled function with static property reads and the escaper's fast-path test
 * inlined: the generic loop over steps ran at 0.46x the no-escape floor, the compiled form at 0.8x
 * (bench/format.bench.ts). Only constants go into the generated source: field names come from the event
 * model's own table and are checked as identifiers, and every string is embedded with `JSON.stringify`.
 */
export function compileFieldWriter(
  plan: Pick<RecordPlan, 'steps'>,
  escapeValue: Escaper,
  special: RegExp,
): FieldWriter {
  const lines: string[] = ['let s = "";', 'let v;'];
  for (const step of plan.steps) {
    if (!RECORD_KEY.test(step.field)) throw new Error(`not a field name: ${step.field}`);
    const read = `e.${step.field}`;
    const guard = step.onlyIfAbsent === undefined ? '' : ` && e.${step.onlyIfAbsent} == null`;
    const value = step.trusted
      ? 'v'
      : `(special.test(v) || v.length * 3 > ${step.maxBytes} ? esc(v, ${step.maxBytes}, stats) : v)`;
    const put = (prefix: string, suffix: string) =>
      `s += ${JSON.stringify(prefix)} + ${value}${suffix === '' ? '' : ` + ${JSON.stringify(suffix)}`};`;
    lines.push(`v = ${read};`);
    lines.push(`if (v != null${guard}) {`);
    lines.push(`  if (typeof v !== 'string') v = text(v);`);
    lines.push(`  if (v !== '') {`);
    if (step.fallback) {
      lines.push(
        `    if (e.${step.fallback.ifAbsent} == null) { ${put(step.fallback.prefix, step.fallback.suffix)} }`,
      );
      lines.push(`    else { ${put(step.prefix, step.suffix)} }`);
    } else {
      lines.push(`    ${put(step.prefix, step.suffix)}`);
    }
    lines.push('  }', '}');
  }
  lines.push('return s;');
  const factory = new Function(
    'esc',
    'special',
    'text',
    `return function writeFields(e, stats) {\n${lines.join('\n')}\n};`,
  );
  return factory(escapeValue, special, valueText) as FieldWriter;
}
