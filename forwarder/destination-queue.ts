import type { RecordDestination, RecordMeta, UndeliveredReport } from './record-destination.js';

/** Options of {@link DestinationQueue}. */
export interface DestinationQueueOptions {
  /** Records held while the sink pushes back; beyond it records fail (reported). @defaultValue 10000 */
  maxQueuedRecords?: number;
  /** A queue that made no progress for this long no longer pauses the source. @defaultValue 5000 */
  stallTimeoutMs?: number;
}

interface Queued {
  text: string;
  meta: RecordMeta;
}

/**
 * A bounded queue in front of one sink, so one slow or dead destination never holds records meant for
 * another: the source is paused only while the queue fills, and a queue that stopped moving fails the
 * overflow (reported) instead of pausing the source for everyone.
 */
export class DestinationQueue {
  readonly name: 'file' | 'syslog';
  /** Records handed to the sink. */
  accepted = 0;
  /** Records failed here (queue overflow, sink unusable, not handed over before close). */
  failed = 0;
  /** Why the sink cannot be used (it failed to open); every record then fails with this reason. */
  dead: string | undefined;
  #items: Queued[] = [];
  #head = 0;
  #waiting = false;
  #lastProgressMs = Date.now();
  #readyWaiters: (() => void)[] = [];
  #emptyWaiters: (() => void)[] = [];
  readonly #max: number;
  readonly #stallMs: number;
  readonly #onDrain = () => this.#pump();

  constructor(
    name: 'file' | 'syslog',
    readonly sink: RecordDestination,
    private readonly onUndelivered: (report: UndeliveredReport) => void,
    options: DestinationQueueOptions = {},
  ) {
    this.name = name;
    this.#max = options.maxQueuedRecords ?? 10_000;
    this.#stallMs = options.stallTimeoutMs ?? 5_000;
    sink.on('drain', this.#onDrain);
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** True while the source should wait: the queue is filling and still moving. */
  get pushingBack(): boolean {
    return this.length >= this.#max / 2 && !this.stalled;
  }

  get stalled(): boolean {
    return this.length > 0 && Date.now() - this.#lastProgressMs > this.#stallMs;
  }

  push(text: string, meta: RecordMeta): void {
    if (this.dead !== undefined) {
      this.failed++;
      this.onUndelivered({ destination: this.name, records: 1, reason: this.dead });
      return;
    }
    if (!this.#waiting && this.length === 0) {
      this.accepted++;
      if (!this.sink.write(text, meta)) this.#startWaiting();
      return;
    }
    if (this.length >= this.#max) {
      this.failed++;
      this.onUndelivered({ destination: this.name, records: 1, reason: `queue full (${this.#max} records)` });
      return;
    }
    this.#items.push({ text, meta });
  }

  /** Resolves once the source may go on: the queue is below half, stalled, or after `stallTimeoutMs`. */
  whenReady(): Promise<void> {
    if (!this.pushingBack) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#stallMs + 10);
      const waiter = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#readyWaiters.push(waiter);
    });
  }

  /** Resolves when every queued record was handed to the sink, or fails them after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const left = this.length;
        this.#items = [];
        this.#head = 0;
        this.failed += left;
        this.onUndelivered({
          destination: this.name,
          records: left,
          reason: `not accepted by the sink within ${timeoutMs} ms`,
        });
        this.#settle();
        resolve();
      }, timeoutMs);
      this.#emptyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  detach(): void {
    this.sink.off('drain', this.#onDrain);
  }

  #pump(): void {
    this.#waiting = false;
    while (!this.#waiting && this.#head < this.#items.length) {
      const item = this.#items[this.#head]!;
      this.#items[this.#head++] = undefined as never;
      this.accepted++;
      if (!this.sink.write(item.text, item.meta)) this.#startWaiting();
    }
    // Compact once the consumed prefix dominates, so the array never grows without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#settle();
  }

  #startWaiting(): void {
    this.#waiting = true;
    this.#lastProgressMs = Date.now();
  }

  #settle(): void {
    if (!this.pushingBack) for (const w of this.#readyWaiters.splice(0)) w();
    if (this.length === 0) for (const w of this.#emptyWaiters.splice(0)) w();
  }
}
