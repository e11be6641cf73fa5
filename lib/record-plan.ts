import type { EncoderStats } from './escape.js';
import { EVENT_FIELD_RULES, type EventKind, type Platform, type SiemEvent } from './events.js';

/** One optional field of a record, with everything constant about it computed at build time. */
export interface PlanStep {
  field: string;
  /** Separator, key and `=`; e.g. ` suser=`. */
  prefix: string;
  /** What follows the value; e.g. ` cs1Label=Secondary User`, or empty. */
  suffix: string;
  maxBytes: number;
  /** Write this field only when `onlyIfAbsent` is missing from the event (LEEF: IPv6 only without IPv4). */
  onlyIfAbsent?: string;
  /** When `ifAbsent` is missing, write under `prefix` instead (LEEF: IPv6 in `src` without IPv4). */
  fallback?: { ifAbsent: string; prefix: string; suffix: string };
}

/** Everything constant about one kind (and platform or status) of record. */
export interface RecordPlan {
  /** Header plus the separator and key of the time field. */
  head: string;
  steps: PlanStep[];
  /** Constant attributes written after the fields. */
  trailer: string;
}

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

/** Text of a field value: strings as they are, ids as decimal, group lists joined with `, `. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

type Escaper = (value: string, maxBytes: number, stats: EncoderStats) => string;

/** Appends every present field of `event` per `plan`: the one loop both encoders run per record. */
export function writeFields(
  plan: RecordPlan,
  event: SiemEvent,
  escapeValue: Escaper,
  stats: EncoderStats,
): string {
  const fields = event as unknown as Record<string, unknown>;
  let out = '';
  for (const step of plan.steps) {
    const value = fields[step.field];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : valueText(value);
    if (text === '') continue; // never an empty value
    if (step.onlyIfAbsent !== undefined && fields[step.onlyIfAbsent] != null) continue;
    if (step.fallback !== undefined && fields[step.fallback.ifAbsent] == null) {
      out += step.fallback.prefix + escapeValue(text, step.maxBytes, stats) + step.fallback.suffix;
    } else {
      out += step.prefix + escapeValue(text, step.maxBytes, stats) + step.suffix;
    }
  }
  return out;
}
