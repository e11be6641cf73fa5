import { setTimeout as sleep } from 'node:timers/promises';
import type { SiemEvent } from '../lib/events.js';
import { type SimulationOptions, simulateEvents } from '../lib/simulated-events.js';

/** Options of {@link pacedEvents}. */
export interface PacedEventsOptions extends SimulationOptions {
  /** Events per second. */
  rate: number;
  /** Stop after this long. */
  durationMs: number;
  /** Stops early (Ctrl-C). */
  signal?: AbortSignal;
}

const TICK_MS = 50;

/**
 * Simulated events at about `rate` per second for `durationMs`, as a pull source: when the consumer waits
 * (a sink pushes back), nothing piles up here, and the pace catches up at most one second's worth.
 */
export async function* pacedEvents(options: PacedEventsOptions): AsyncGenerator<SiemEvent> {
  const events = simulateEvents(options);
  const start = Date.now();
  let produced = 0;
  while (!options.signal?.aborted) {
    const elapsed = Date.now() - start;
    if (elapsed >= options.durationMs) return;
    const due = Math.floor((elapsed / 1000) * options.rate);
    // Timer lateness is made up (a one-tick limit ran the demo at 0.87x its rate); after a long stall, at
    // most one second's worth is, so a sink that stalled meets no bigger burst than that.
    if (due - produced > options.rate) produced = due - options.rate;
    while (produced < due) {
      produced++;
      yield events.next().value as SiemEvent;
    }
    await sleep(TICK_MS);
  }
}
