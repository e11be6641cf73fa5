import type { DateFormatter } from './dates.js';
import type { Encoder } from './encoder-options.js';
import type { EncoderStats } from './escape.js';
import { parseEventTime, type SiemEvent, validateEvent } from './events.js';
import { compileFastRecord, type FastRecordSpec } from './record-compiler.js';
import { compileFieldWriter, lookupPlan, type PlanTable, planFor, type RecordPlan } from './record-plan.js';

/** One record variant's plan: the reference field writer and the compiled fast path, from one spec. */
export function buildPlan(spec: FastRecordSpec): RecordPlan {
  return {
    head: spec.head,
    afterTime: spec.afterTime,
    steps: [...spec.steps],
    tail: spec.tail,
    write: compileFieldWriter({ steps: [...spec.steps] }, spec.escape, spec.special),
    fast: compileFastRecord(spec),
  };
}

/**
 * The encoder function both formats share. The reference path validates, then escapes field by field; the fast
 * path hands back every event it cannot vouch for, so both always give the same bytes, errors and stats.
 */
export function assembleEncoder(plans: PlanTable, dates: DateFormatter, validate: boolean): Encoder {
  const stats: EncoderStats = { truncated: 0, neutralised: 0 };
  const reference = (event: SiemEvent): string => {
    if (validate) validateEvent(event);
    const plan = planFor(plans, event);
    const ms = typeof event.time === 'number' ? event.time : (parseEventTime(event.time) as number);
    return plan.head + dates.format(ms) + plan.afterTime + plan.write(event, stats) + plan.tail;
  };
  const encode = (event: SiemEvent): string => {
    if (typeof event === 'object' && event !== null) {
      const plan = lookupPlan(plans, event);
      if (plan !== undefined) {
        const line = plan.fast(event, stats);
        if (line !== 0) return line;
      }
    }
    return reference(event);
  };
  return Object.assign(encode, { stats });
}
