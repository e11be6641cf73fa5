import { DateTime, IANAZone } from 'luxon';
import { InvalidOptionError } from './errors.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const EVERY = /^([1-9]\d*)([hd])$/;

/** When the log file is cleaned up (renamed and replaced by a new one): the page's two cleanup fields. */
export interface CleanupRule {
  /** `HH:mm` wall-clock time in `timeZone`, or `null`. */
  cleanupDailyAt: string | null;
  /** `Nh` or `Nd`, or `null`. */
  cleanupEvery: string | null;
  /** IANA time zone the wall-clock times are read in. */
  timeZone: string;
}

/**
 * A validated cleanup rule, ready to answer "when is the next cleanup?" many times.
 * `next(nowMs)` returns the first cleanup instant strictly after `nowMs` (epoch ms), or `null` when no
 * cleanup is scheduled.
 */
export interface CleanupSchedule {
  next(nowMs: number): number | null;
}

/**
 * Compiles the page's "Cleanup daily at" and "Cleanup every" fields into a schedule.
 *
 * Semantics (all wall-clock times are in `timeZone`):
 * - `Nd` with `cleanupDailyAt`: at `cleanupDailyAt` on every N-th local day, counting days from
 *   1970-01-01 so the rhythm survives restarts (`1d` = every day).
 * - `Nh` (N < 24) with `cleanupDailyAt`: every N hours on a wall-clock grid anchored at
 *   `cleanupDailyAt`, restarting each day: the times of day congruent to the anchor modulo N hours
 *   (anchor 14:00, `5h` gives 04:00, 09:00, 14:00, 19:00). A multiple of 24 hours is read as days;
 *   any other N > 24 is a continuous grid of N elapsed hours from 1970-01-01 at the anchor.
 * - Only `cleanupEvery` set: the same, anchored at 00:00. Only `cleanupDailyAt` set: daily at that time.
 *   Neither set: no scheduled cleanup (`next` returns `null`).
 * - DST: every wall-clock slot happens exactly once a day. A slot inside a spring-forward gap (02:30 on a
 *   day that skips 02:00-03:00) happens at the first valid instant after the gap (03:00 new time); a slot
 *   that occurs twice on a fall-back day happens at its first occurrence only.
 *
 * @throws InvalidOptionError (`SIEMKIT_ERR_INVALID_OPTION`) for a malformed field or an unknown zone.
 * @example
 * ```ts
 * import { createCleanupSchedule } from 'siemkit';
 * const schedule = createCleanupSchedule({ cleanupDailyAt: '02:30', cleanupEvery: '1d', timeZone: 'Europe/Berlin' });
 * const nextMs = schedule.next(Date.now());
 * ```
 */
export function createCleanupSchedule(rule: CleanupRule): CleanupSchedule {
  if (!IANAZone.isValidZone(rule.timeZone)) {
    throw new InvalidOptionError('timeZone', `"${rule.timeZone}" is not an IANA time zone`);
  }
  const zone = IANAZone.create(rule.timeZone);
  let anchorMinutes = 0;
  if (rule.cleanupDailyAt !== null) {
    const m = HH_MM.exec(rule.cleanupDailyAt);
    if (!m)
      throw new InvalidOptionError(
        'cleanupDailyAt',
        `must be HH:mm (00:00-23:59), got "${rule.cleanupDailyAt}"`,
      );
    anchorMinutes = Number(m[1]) * 60 + Number(m[2]);
  }
  if (rule.cleanupEvery === null) {
    if (rule.cleanupDailyAt === null) return { next: () => null };
    return daysSchedule(zone, anchorMinutes, 1);
  }
  const m = EVERY.exec(rule.cleanupEvery);
  if (!m)
    throw new InvalidOptionError('cleanupEvery', `must be Nh or Nd with N >= 1, got "${rule.cleanupEvery}"`);
  const n = Number(m[1]);
  if (m[2] === 'd') return daysSchedule(zone, anchorMinutes, n);
  if (n % 24 === 0) return daysSchedule(zone, anchorMinutes, n / 24);
  if (n < 24) return hoursGridSchedule(zone, anchorMinutes, n);
  return elapsedSchedule(zone, anchorMinutes, n * HOUR_MS);
}

/**
 * The cleanup instant as it is added to a renamed file's name: `yyyy-MM-dd_HH-mm-ss` in `timeZone`
 * (no colons, so the name is valid on every file system; sorts by time within a zone).
 */
export function cleanupStamp(instantMs: number, timeZone: string): string {
  return DateTime.fromMillis(instantMs, { zone: timeZone }).toFormat('yyyy-MM-dd_HH-mm-ss');
}

/** A local calendar day as a day number since 1970-01-01 (the same number in every zone). */
function localDay(zone: IANAZone, instantMs: number): number {
  return Math.floor((instantMs + zone.offset(instantMs) * 60_000) / DAY_MS);
}

/**
 * The instant a wall-clock time on a local day happens: its first occurrence when it happens twice
 * (fall-back), the end of the gap when it does not happen at all (spring-forward).
 */
export function wallClockInstant(zone: IANAZone, day: number, minuteOfDay: number): number {
  const wallMs = day * DAY_MS + minuteOfDay * 60_000;
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  let best = Number.POSITIVE_INFINITY;
  for (const offset of [before, after]) {
    const t = wallMs - offset * 60_000;
    if (zone.offset(t) === offset && t < best) best = t;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // In the gap: the offset switches from `before` to `after` somewhere between the two readings.
  let lo = wallMs - after * 60_000;
  let hi = wallMs - before * 60_000;
  if (lo > hi) [lo, hi] = [hi, lo];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** First slot instant strictly after `nowMs`, scanning local days from the day before `nowMs`. */
function firstAfter(
  zone: IANAZone,
  nowMs: number,
  maxDays: number,
  slotsOfDay: (day: number) => readonly number[],
): number | null {
  const start = localDay(zone, nowMs) - 1;
  for (let day = start; day <= start + maxDays + 2; day++) {
    for (const minute of slotsOfDay(day)) {
      const t = wallClockInstant(zone, day, minute);
      if (t > nowMs) return t;
    }
  }
  return null;
}

function daysSchedule(zone: IANAZone, anchorMinutes: number, everyDays: number): CleanupSchedule {
  const slots = [anchorMinutes];
  const none: number[] = [];
  return {
    next: (nowMs) => firstAfter(zone, nowMs, everyDays, (day) => (mod(day, everyDays) === 0 ? slots : none)),
  };
}

function hoursGridSchedule(zone: IANAZone, anchorMinutes: number, everyHours: number): CleanupSchedule {
  const step = everyHours * 60;
  const slots: number[] = [];
  for (let m = anchorMinutes % step; m < 24 * 60; m += step) slots.push(m);
  return { next: (nowMs) => firstAfter(zone, nowMs, 1, () => slots) };
}

function elapsedSchedule(zone: IANAZone, anchorMinutes: number, periodMs: number): CleanupSchedule {
  const origin = wallClockInstant(zone, 0, anchorMinutes);
  return { next: (nowMs) => origin + (Math.floor((nowMs - origin) / periodMs) + 1) * periodMs };
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** One-shot form of {@link createCleanupSchedule}: the first cleanup instant strictly after `nowMs`, or `null`. */
export function nextCleanup(rule: CleanupRule, nowMs: number): number | null {
  return createCleanupSchedule(rule).next(nowMs);
}
