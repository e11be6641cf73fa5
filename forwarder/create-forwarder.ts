import {
  concat,
  defer,
  isObservable,
  type Observable,
  of,
  Subject,
  type Subscription,
  tap,
  timer,
} from 'rxjs';
import { map, takeUntil } from 'rxjs/operators';
import type { InvalidEventError } from '../lib/errors.js';
import type { SiemEvent } from '../lib/events.js';
import type { Settings } from '../lib/settings.js';
import { formatFromSettings } from '../operators/format-from-settings.js';
import type { FormatCounters } from '../operators/format-records.js';
import { selectContent } from '../operators/select-content.js';
import type { RotatingFileSinkOptions } from '../sinks/rotating-file-sink.js';
import { DestinationQueue, type DestinationQueueOptions } from './destination-queue.js';
import type { ForwarderReport, ForwarderStats } from './forwarder-stats.js';
import { UndeliveredTally } from './forwarder-stats.js';
import {
  type OpenedDestination,
  openFileDestination,
  type ReportSinkError,
  type ReportUndelivered,
} from './open-destinations.js';
import type { DestinationStats, UndeliveredReport } from './record-destination.js';
import { openSyslogDestination, type SyslogOverrides } from './syslog-destination.js';

/** Options of {@link createForwarder}; all optional. */
export interface ForwarderOptions {
  /** Called for each selected value that is not a valid event; it is skipped and counted as `rejected`. */
  onInvalid?: (error: InvalidEventError, value: unknown) => void;
  /** Called when records will not reach a destination (queue full, sink gave up, not out before close). */
  onUndelivered?: (report: UndeliveredReport) => void;
  /** Called for sink faults that are retried (a connection refused, a failed write). */
  onSinkError?: (destination: 'file' | 'syslog', error: Error) => void;
  /** How often `stats$` emits. @defaultValue 1000 */
  statsIntervalMs?: number;
  /** The bounded queue in front of each sink. */
  queue?: DestinationQueueOptions;
  /** How long `flush()`/`close()` wait for each destination. @defaultValue 30000 */
  closeTimeoutMs?: number;
  /** Options passed over the settings to the file sink (seams: `fs`, `clock`, `timers`). */
  fileSink?: RotatingFileSinkOptions;
  /** Options passed over the settings to the syslog sink (seams: `connect`). */
  syslogSink?: SyslogOverrides;
}

/** What a forwarder takes events from. */
export type EventSource = Observable<unknown> | AsyncIterable<unknown> | Iterable<unknown>;

/** A running forwarder; see {@link createForwarder}. */
export interface Forwarder {
  /**
   * Feeds a source through the pipeline and resolves, once it completes and everything accepted is flushed,
   * with a report. An `AsyncIterable` (a `Readable`, `fromNdjson(...)`) or an `Iterable` (an array, a generator)
   * is pulled only while no destination pushes back; an `Observable` cannot be paused, so overflow beyond the
   * bounded queues is reported.
   */
  run(source: EventSource): Promise<ForwarderReport>;
  /** Same as `run`. */
  attach(source: EventSource): Promise<ForwarderReport>;
  /** Stops taking values from running sources (they then flush and resolve); for Ctrl-C. */
  stop(): void;
  /** Counters every `statsIntervalMs`, and a last time on close. */
  readonly stats$: Observable<ForwarderStats>;
  /** The counters now. */
  stats(): ForwarderStats;
  /** Resolves when everything accepted so far is written and sent, or says what is not. */
  flush(): Promise<ForwarderReport>;
  /** Flushes, closes both sinks and completes `stats$`. Later values are refused. */
  close(): Promise<ForwarderReport>;
  /** The enabled destinations, with where they write to. */
  readonly destinations: readonly { name: 'file' | 'syslog'; where: string }[];
}

/**
 * Builds the whole pipeline from one validated settings object: content selection, CEF/LEEF formatting,
 * and fan-out to the rotating log file (`logFile.enabled`) and syslog (`forwarding.enabled`), each behind
 * its own bounded queue, so a dead SIEM never stalls the file and a full disk never stalls forwarding.
 * Invalid events go to `onInvalid` and are counted, never dropped silently.
 *
 * @example
 * import { parseSettings } from 'siemkit';
 * import { createForwarder, fromNdjson } from 'siemkit/forwarder';
 * const forwarder = createForwarder(parseSettings(json), { onInvalid: (e) => console.warn(e.message) });
 * await forwarder.run(fromNdjson(process.stdin));
 * const report = await forwarder.close();
 * if (!report.ok) console.error(report.undelivered);
 */
export function createForwarder(settings: Settings, options: ForwarderOptions = {}): Forwarder {
  const closeTimeoutMs = options.closeTimeoutMs ?? 30_000;
  const tally = new UndeliveredTally();
  const reportUndelivered: ReportUndelivered = (report) => {
    tally.add(report);
    options.onUndelivered?.(report);
  };
  const reportSinkError: ReportSinkError = (destination, error) => options.onSinkError?.(destination, error);

  const opened: OpenedDestination[] = [];
  if (settings.logFile.enabled) {
    opened.push(openFileDestination(settings, reportUndelivered, reportSinkError, options.fileSink));
  }
  if (settings.forwarding.enabled) {
    opened.push(openSyslogDestination(settings, reportUndelivered, reportSinkError, options.syslogSink));
  }
  const queues = opened.map((d) => new DestinationQueue(d.name, d.sink, reportUndelivered, options.queue));
  const ready = Promise.all(
    opened.map((d, i) =>
      d.open().catch((error: Error) => {
        // A destination that cannot open fails its records (reported); the other keeps going.
        queues[i]!.dead = error.message.includes(d.where) ? error.message : `${d.where}: ${error.message}`;
      }),
    ),
  );

  let received = 0;
  let selected = 0;
  const formatCounters: FormatCounters = { formatted: 0, rejected: 0 };
  const input = new Subject<unknown>();
  let pipelineError: unknown;
  input
    .pipe(
      tap(() => received++),
      selectContent(settings.contents) as (source: Observable<unknown>) => Observable<SiemEvent>,
      tap(() => selected++),
      formatFromSettings(settings.format, {
        onInvalid: options.onInvalid ?? (() => {}),
        counters: formatCounters,
      }),
    )
    .subscribe({
      next(record) {
        const meta = { epochMs: record.timeMs, severity: record.severity, kind: record.kind };
        for (const queue of queues) queue.push(record.text, meta);
      },
      error(error) {
        pipelineError = error;
      },
    });

  let closed = false;
  let stopped = false;
  const running = new Set<Subscription>();
  const closed$ = new Subject<void>();

  const destinationStats = (i: number): DestinationStats => {
    const queue = queues[i]!;
    const { delivered, failed, rotations, spool } = opened[i]!.progress();
    return {
      accepted: queue.accepted,
      delivered,
      buffered: queue.length + Math.max(0, queue.accepted - delivered - failed),
      failed: queue.failed + failed,
      ...(rotations === undefined ? {} : { rotations }),
      ...(spool === undefined ? {} : { spool }),
    };
  };
  const stats = (): ForwarderStats => {
    const s: ForwarderStats = {
      received,
      selected,
      rejected: formatCounters.rejected,
      formatted: formatCounters.formatted,
      written: 0,
      sent: 0,
      buffered: 0,
      failed: 0,
      destinations: {},
    };
    opened.forEach((d, i) => {
      const ds = destinationStats(i);
      s.destinations[d.name] = ds;
      if (d.name === 'file') s.written = ds.delivered;
      else s.sent = ds.delivered;
      s.buffered += ds.buffered;
      if (ds.spool) s.spool = ds.spool;
      s.failed += ds.failed;
    });
    return s;
  };
  // The latest flush/close failure per destination: the reason for records still not delivered.
  const lastProblem: (string | undefined)[] = opened.map(() => undefined);
  const reported = new WeakSet<UndeliveredReport>();
  const report = (): ForwarderReport => {
    const s = stats();
    const undelivered = tally.list();
    for (const u of undelivered) reported.add(u);
    // Records neither delivered nor reported as failed are named too, with the sink's last complaint.
    opened.forEach((d, i) => {
      const ds = s.destinations[d.name]!;
      const failed = undelivered.filter((u) => u.destination === d.name).reduce((n, u) => n + u.records, 0);
      const missing = s.formatted - ds.delivered - failed;
      if (missing > 0) {
        undelivered.push({
          destination: d.name,
          records: missing,
          reason: lastProblem[i] ?? 'not confirmed yet',
        });
      }
    });
    return { ok: undelivered.length === 0, stats: s, undelivered };
  };

  const flush = async (): Promise<ForwarderReport> => {
    await ready;
    await Promise.all(
      opened.map(async (d, i) => {
        await queues[i]!.drained(closeTimeoutMs);
        await d.flush(closeTimeoutMs).then(
          () => (lastProblem[i] = undefined),
          (error: Error) => (lastProblem[i] = error.message),
        );
      }),
    );
    return report();
  };

  const pull = async (source: AsyncIterable<unknown>): Promise<void> => {
    for await (const value of source) {
      if (closed) throw new Error('the forwarder is closed');
      input.next(value);
      if (pipelineError) throw pipelineError;
      if (queues.some((q) => q.pushingBack)) await Promise.all(queues.map((q) => q.whenReady()));
      if (stopped) break;
    }
  };
  // A synchronous iterable awaits only when a destination pushes back: an await per value cost about half
  // of the forwarder's CPU per event (bench/e2e.bench.ts, createForwarder case).
  const pullSync = async (source: Iterable<unknown>): Promise<void> => {
    for (const value of source) {
      if (closed) throw new Error('the forwarder is closed');
      input.next(value);
      if (pipelineError) throw pipelineError;
      if (queues.some((q) => q.pushingBack)) await Promise.all(queues.map((q) => q.whenReady()));
      if (stopped) break;
    }
  };
  const subscribe = (source: Observable<unknown>): Promise<void> =>
    new Promise((resolve, reject) => {
      // A synchronous source completes inside subscribe(), before `subscription` is assigned.
      let subscription: Subscription | undefined;
      let done = false;
      const finish = (error?: unknown) => {
        done = true;
        if (subscription) running.delete(subscription);
        if (error === undefined) resolve();
        else reject(error);
      };
      subscription = source.subscribe({
        next(value) {
          input.next(value);
          if (pipelineError) finish(pipelineError);
        },
        error: (error) => finish(error),
        complete: () => finish(),
      });
      if (!done) {
        running.add(subscription);
        // stop() ends the run as if the source had completed.
        subscription.add(() => finish());
      }
    });

  const run = async (source: EventSource): Promise<ForwarderReport> => {
    if (closed) throw new Error('the forwarder is closed');
    // Subscribed at once, not after the sinks open: a hot source (a Subject, an emitter) would lose values.
    if (isObservable(source)) await subscribe(source);
    else if (Symbol.asyncIterator in source) await pull(source);
    else await pullSync(source);
    return flush();
  };

  let closing: Promise<ForwarderReport> | undefined;
  const close = (): Promise<ForwarderReport> => {
    closing ??= (async () => {
      stop();
      closed = true;
      await ready;
      await Promise.all(
        opened.map(async (d, i) => {
          await queues[i]!.drained(closeTimeoutMs);
          queues[i]!.detach();
          await d.close(closeTimeoutMs).then(
            () => (lastProblem[i] = undefined),
            (error: Error) => (lastProblem[i] = error.message),
          );
        }),
      );
      const final = report();
      // What the sinks could not deliver by now is final: tell onUndelivered, which has not heard of it.
      for (const u of final.undelivered.filter((u) => !reported.has(u))) options.onUndelivered?.(u);
      closed$.next();
      closed$.complete();
      return final;
    })();
    return closing;
  };
  const stop = () => {
    stopped = true;
    for (const subscription of running) subscription.unsubscribe();
    running.clear();
  };

  const intervalMs = options.statsIntervalMs ?? 1000;
  const stats$ = concat(
    timer(0, intervalMs).pipe(
      map(() => stats()),
      takeUntil(closed$),
    ),
    defer(() => of(stats())),
  );

  return {
    run,
    attach: run,
    stop,
    stats$,
    stats,
    flush,
    close,
    destinations: opened.map((d) => ({ name: d.name, where: d.where })),
  };
}
