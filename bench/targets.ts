// Every ratio siemkit promises, in one table: `npm run bench` reports them against `target`,
// `npm run bench:check` fails below `alarm` (about two-thirds of the target: machine noise on a shared
// 2-vCPU box moved ratios by 10-15%, while one write per record or escaping without a fast path costs
// 2-5x). A target not met yet keeps its figure and says why in `note`; it is never loosened silently.

export interface Target {
  /** The `bench` name a bench file reports (`race(bench, ...)`). */
  bench: string;
  /** The case measured... */
  case: string;
  /** ...over this case of the same run. */
  versus: string;
  target: number;
  alarm: number;
  note?: string;
}

export const TARGETS: readonly Target[] = [
  // Alarms of the format rows sit between what noise and a real regression measured here (5-round check, paired
  // ratios, load 4-5 from other jobs): CEF/floor 0.50-0.66 when healthy, 0.26 with every value through the
  // slow escaper (no regex-test fast path); two-thirds of the target (0.5) failed a healthy run.
  { bench: 'format', case: 'siemkit CEF', versus: 'floor (no escaping)', target: 0.75, alarm: 0.4 },
  {
    bench: 'format',
    case: 'siemkit CEF',
    versus: 'JSON.stringify',
    target: 1.6,
    alarm: 0.6,
    note:
      'not met: on this machine JSON.stringify runs at 0.66-0.72x the floor itself, so 1.6x would need ' +
      'CEF at 2.2-2.4x JSON, faster than the no-escape floor; alarm from the measured 0.9-1.05 (0.40 without the fast path)',
  },
  // LEEF measured 0.62-0.87 healthy under the same load.
  { bench: 'format', case: 'siemkit LEEF 2.0', versus: 'floor (no escaping)', target: 0.9, alarm: 0.45 },
  { bench: 'format', case: 'siemkit LEEF 1.0', versus: 'floor (no escaping)', target: 0.9, alarm: 0.45 },
  { bench: 'pipeline', case: 'rxjs filter + map', versus: 'plain loop', target: 0.9, alarm: 0.6 },
  {
    bench: 'file-sink',
    case: 'RotatingFileSink (rotating)',
    versus: 'raw fs, 64 KiB batches',
    target: 0.5,
    alarm: 0.33,
  },
  {
    bench: 'syslog-sink',
    case: 'TLS SyslogSink (header+framing+batching)',
    versus: 'plain TCP, framed into 64 KiB batches',
    target: 0.6,
    alarm: 0.4,
  },
  // End to end in events per CPU-second of the sender (bench/e2e.bench.ts). performance.md's 150k per
  // CPU-second is 0.4x its measured floor (377k); the absolute figure moves with machine load, the ratio less.
  {
    bench: 'e2e',
    case: 'siemkit: operators -> TLS SyslogSink',
    versus: 'floor: pre-formatted lines, batched TLS writes',
    target: 0.4,
    alarm: 0.27,
  },
  // Ahead of every rival. Alarms under 1 because rounds spread ±15-35% on this machine: winston measured at
  // 2.3-3.2x (alarm 0.8); pino at 0.67-1.10x in three check runs (alarm 0.5, far above what one write per
  // record or escaping without a fast path would leave).
  {
    bench: 'e2e',
    case: 'siemkit: operators -> TLS SyslogSink',
    versus: 'winston + winston-syslog, TCP',
    target: 1,
    alarm: 0.8,
  },
  {
    bench: 'e2e',
    case: 'siemkit: operators -> TLS SyslogSink',
    versus: 'pino + pino-socket, TCP',
    target: 1,
    alarm: 0.5,
    note:
      'not met reliably: 0.9-1.1x. pino only JSON-escapes one template string per event (no CEF escaping, no ' +
      'validation); siemkit validates and escapes every field, which is most of its CPU (bench/format.bench.ts)',
  },
  {
    bench: 'e2e',
    case: 'siemkit: operators -> TLS SyslogSink',
    versus: 'pino + pino-socket, TLS',
    target: 1,
    alarm: 0.5,
    note:
      'not met reliably: 0.9-1.1x. pino only JSON-escapes one template string per event (no CEF escaping, no ' +
      'validation); siemkit validates and escapes every field, which is most of its CPU (bench/format.bench.ts)',
  },
  {
    bench: 'spool-cost',
    case: 'TCP sink + disk spool (write-ahead)',
    versus: 'TCP sink, memory buffer',
    target: 0.5,
    alarm: 0.25,
    note:
      'the price of losing nothing to a crash: every record is framed with a CRC, written to the spool file ' +
      'and read back (two CRC-32 passes, two copies); measured 0.27x before and 0.36-0.47x after the fixes ' +
      'named in sinks/disk-spool.ts and sinks/spool-frame.ts',
  },
];

/** Bench files too long for `bench:check` (under 2 minutes); they run in the full `npm run bench` only. */
export const FULL_ONLY: readonly string[] = ['outage.bench.ts'];

/** A measured figure that must stay at or under `max` (performance.md). */
export interface MetricTarget {
  bench: string;
  metric: string;
  max: number;
  unit: string;
}

export const METRIC_TARGETS: readonly MetricTarget[] = [
  { bench: 'outage', metric: 'peakRssMB', max: 150, unit: 'MB' },
  { bench: 'outage', metric: 'lost', max: 0, unit: '' },
  // Not a promise of performance.md; a drain slower than the outage itself would mean the backlog outgrows outages.
  { bench: 'outage', metric: 'drainMultiple', max: 1, unit: 'x' },
];
