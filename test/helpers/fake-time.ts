import type { TimerSeam } from '../../sinks/rotating-file-sink.js';

/** A clock and timers the test moves by hand: `advanceTo` fires every due timer in time order. */
export class FakeTime implements TimerSeam {
  now: number;
  #timers: { at: number; seq: number; fn: () => void }[] = [];
  #seq = 0;

  constructor(startIso: string) {
    this.now = Date.parse(startIso);
  }

  readonly clock = (): number => this.now;

  setTimeout(fn: () => void, delayMs: number): unknown {
    const timer = { at: this.now + delayMs, seq: this.#seq++, fn };
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t !== handle);
  }

  advanceTo(iso: string): void {
    const target = Date.parse(iso);
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0];
      if (next === undefined || next.at > target) break;
      this.#timers.shift();
      this.now = Math.max(this.now, next.at);
      next.fn();
    }
    this.now = target;
  }
}
