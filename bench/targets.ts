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
  { bench: 'format', case: 'siemkit CEF', versus: 'floor (no escaping)', target: 0.75, alarm: 0.5 },
  {
    bench: 'format',
    case: 'siemkit CEF',
    versus: 'JSON.stringify',
    target: 1.6,
    alarm: 0.7,
    note:
      'not met: on this machine JSON.stringify runs at 0.66-0.72x the floor itself, so 1.6x would need ' +
      'CEF at 2.2-2.4x JSON, faster than the no-escape floor; alarm set from the measured 0.95-1.05',
  },
  { bench: 'format', case: 'siemkit LEEF 2.0', versus: 'floor (no escaping)', target: 0.9, alarm: 0.6 },
  { bench: 'format', case: 'siemkit LEEF 1.0', versus: 'floor (no escaping)', target: 0.9, alarm: 0.6 },
  { bench: 'pipeline', case: 'rxjs filter + map', versus: 'plain loop', target: 0.9, alarm: 0.6 },
  // Bench files written on other branches; their rows count once the files land.
  { bench: 'file-sink', case: 'siemkit file sink', versus: 'raw batched write', target: 0.5, alarm: 0.33 },
  { bench: 'syslog-sink', case: 'siemkit TLS sink', versus: 'batched TCP', target: 0.6, alarm: 0.4 },
];
