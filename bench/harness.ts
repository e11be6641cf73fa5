// Shared benchmark runner: named cases race a baseline in one process, rounds interleaved
// (baseline, case, baseline, ...) so that machine noise hits every case alike. Ratios, not
// absolute times, are what the results mean.

export interface BenchCase {
  name: string;
  /** Does one batch of work and returns how many units (events, bytes) it processed. */
  run: () => number | Promise<number>;
}

export interface CaseResult {
  name: string;
  /** Median units per second over the rounds. */
  median: number;
  /** Spread: (max - min) / median over the rounds. */
  spread: number;
  samples: number[];
}

export interface BenchResult {
  bench: string;
  unit: string;
  clock: BenchClock;
  baseline: string;
  cases: CaseResult[];
  /** Each case over the baseline: the median of the per-round ratios (see {@link pairedRatio}). */
  ratios: Record<string, number>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median over rounds of `a[i] / b[i]`: the two samples of one round ran seconds apart, so a burst of load
 * from another process slows both and cancels out, where a ratio of two medians lets a slow stretch that hit
 * one case more than the other through. On the shared 2-vCPU build machine (load 4-5 from other jobs) the
 * ratio of medians of format's CEF/floor moved 0.50-0.66 between check runs.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  return median(Array.from({ length: n }, (_, i) => a[i]! / b[i]!));
}

/**
 * `wall`: elapsed time, for anything that waits on I/O. `cpu`: this process's user + system CPU time,
 * for pure computation: on a shared, loaded machine the wall clock also counts the time other processes
 * held the core, which moved format ratios by 0.3 between runs; CPU time held them to a few hundredths.
 */
export type BenchClock = 'wall' | 'cpu';

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function timeOnce(c: BenchCase, clock: BenchClock): Promise<number> {
  if (clock === 'cpu') {
    const start = cpuMicros();
    const units = await c.run();
    return (units * 1e6) / Math.max(1, cpuMicros() - start);
  }
  const start = process.hrtime.bigint();
  const units = await c.run();
  const ns = Number(process.hrtime.bigint() - start);
  return (units * 1e9) / ns;
}

/**
 * Runs `warmup` untimed rounds, then `rounds` timed rounds of every case in turn, baseline first, and
 * returns medians and ratios to the first case (the baseline).
 */
export async function race(
  bench: string,
  unit: string,
  cases: BenchCase[],
  options: { rounds?: number; warmup?: number; clock?: BenchClock } = {},
): Promise<BenchResult> {
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 15);
  const warmup = options.warmup ?? 3;
  const clock = options.clock ?? 'wall';
  // BENCH_ONLY=text keeps the baseline and the cases whose name contains it: for a `--cpu-prof` of one path.
  const only = process.env.BENCH_ONLY;
  if (only) cases = cases.filter((c, i) => i === 0 || c.name.includes(only));
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < warmup; r++) for (const c of cases) await c.run();
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so no case always runs right after a GC-heavy neighbour.
    const order = r % 2 === 0 ? cases : [...cases].reverse();
    for (const c of order) samples.get(c.name)!.push(await timeOnce(c, clock));
  }
  const results: CaseResult[] = cases.map((c) => {
    const s = samples.get(c.name)!;
    const m = median(s);
    return { name: c.name, median: m, spread: (Math.max(...s) - Math.min(...s)) / m, samples: s };
  });
  const base = results[0]!;
  const ratios = Object.fromEntries(results.map((r) => [r.name, pairedRatio(r.samples, base.samples)]));
  return { bench, unit, clock, baseline: base.name, cases: results, ratios };
}

/** Prints a result as a table on stderr and as one JSON line on stdout (for `bench/run.ts`, samples included). */
export function report(result: BenchResult): void {
  const rows = result.cases.map(
    (c) =>
      `  ${c.name.padEnd(40)} ${Math.round(c.median).toLocaleString('en-US').padStart(14)} ${result.unit}/s  ` +
      `±${(c.spread * 50).toFixed(0).padStart(2)}%  x${result.ratios[c.name]!.toFixed(2)} ${result.baseline}`,
  );
  process.stderr.write(`${result.bench}\n${rows.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
