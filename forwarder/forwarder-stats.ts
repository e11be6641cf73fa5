import type { DestinationStats, SpoolCounters, UndeliveredReport } from './record-destination.js';

/** The forwarder's counters; `written`, `sent`, `buffered` and `failed` sum the destinations. */
export interface ForwarderStats {
  /** Values taken from the source. */
  received: number;
  /** Values that passed content selection (the "Log File Contents" checkboxes). */
  selected: number;
  /** Selected values that are not valid events (reported through `onInvalid`). */
  rejected: number;
  formatted: number;
  /** Records on disk in the log file. */
  written: number;
  /** Records handed to the syslog connection. */
  sent: number;
  /** Records accepted and not yet written or sent. */
  buffered: number;
  /** Records that will not reach a destination (reported through `onUndelivered`). */
  failed: number;
  destinations: { file?: DestinationStats; syslog?: DestinationStats };
  /** The syslog disk spool: records waiting in it, `replayed` after a disconnect, `resent` after a restart, `dropped` (per kind) when full. */
  spool?: SpoolCounters;
}

/** How a run or close ended: `ok` when every formatted record reached every enabled destination. */
export interface ForwarderReport {
  ok: boolean;
  stats: ForwarderStats;
  /** What did not arrive, summed per destination and reason. */
  undelivered: UndeliveredReport[];
}

/** Sums undelivered reports per destination and reason, so a flood of failures reads as one line each. */
export class UndeliveredTally {
  #byKey = new Map<string, UndeliveredReport>();

  add(report: UndeliveredReport): void {
    const key = `${report.destination}\u0000${report.reason}`;
    const seen = this.#byKey.get(key);
    if (seen) seen.records += report.records;
    else this.#byKey.set(key, { ...report });
  }

  list(): UndeliveredReport[] {
    return [...this.#byKey.values()].map((r) => ({ ...r }));
  }
}
