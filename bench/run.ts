// Runs every bench/*.bench.ts in its own process, collects the JSON lines they print, checks the ratios
// of bench/targets.ts, and writes bench/results.json and bench/results.svg.
//   npm run bench          full rounds; writes the results and the chart
//   npm run bench:check    short rounds (BENCH_ROUNDS, default 5); exit 1 when a ratio is under its alarm
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioChart } from './chart.js';
import { type BenchResult, pairedRatio } from './harness.js';
import { FULL_ONLY, METRIC_TARGETS, TARGETS } from './targets.js';

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');
const env = { ...process.env, BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? (check ? '5' : '15') };

/** A bench that reports measured figures (bytes, ms, counts) rather than a race of cases. */
interface MetricsResult {
  bench: string;
  metrics: Record<string, number>;
}

const results: BenchResult[] = [];
const metricResults: MetricsResult[] = [];
const failedFiles: string[] = [];
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && !(check && FULL_ONLY.includes(f)))
  .sort()) {
  process.stderr.write(`\n# ${file}\n`);
  // Own process per file: one bench's JIT state and heap never colour another's.
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) failedFiles.push(`${file} exited with ${child.status ?? child.signal}`);
  for (const line of child.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as BenchResult | MetricsResult;
    if ('metrics' in parsed) metricResults.push(parsed);
    else results.push(parsed);
  }
}

interface Row {
  label: string;
  ratio: number | undefined;
  target: number;
  alarm: number;
  problem?: string;
  note?: string;
}
const rows: Row[] = TARGETS.map((t) => {
  const label = `${t.bench}: ${t.case} / ${t.versus}`;
  const result = results.find((r) => r.bench === t.bench);
  // A target whose bench or case is not found fails: names guessed before a bench landed once made two
  // rows pass silently as 'no bench file yet'.
  if (!result)
    return {
      label,
      ratio: undefined,
      target: t.target,
      alarm: t.alarm,
      problem: 'no bench reports this name',
    };
  const samples = (name: string) => result.cases.find((c) => c.name === name)?.samples;
  const a = samples(t.case);
  const b = samples(t.versus);
  if (a === undefined || b === undefined) {
    return {
      label,
      ratio: undefined,
      target: t.target,
      alarm: t.alarm,
      problem: 'case missing from the bench',
    };
  }
  const ratio = pairedRatio(a, b);
  const problem = ratio < t.alarm ? `under its alarm floor ${t.alarm}` : undefined;
  return { label, ratio, target: t.target, alarm: t.alarm, problem, note: t.note };
});

const table = rows.map((r) => {
  const measured = r.ratio === undefined ? '   -  ' : `${r.ratio.toFixed(2).padStart(5)}x`;
  const status = r.problem
    ? `FAIL (${r.problem})`
    : r.ratio === undefined
      ? r.note
      : r.ratio >= r.target
        ? 'ok'
        : 'below target';
  return `${r.label.padEnd(64)} ${measured}  target ${r.target.toFixed(2)}  alarm ${r.alarm.toFixed(2)}  ${status}`;
});
process.stdout.write(`\n${table.join('\n')}\n`);

// Figures with an upper bound (peak RSS, events lost); benches in FULL_ONLY report them in `npm run bench` only.
const metricRows = METRIC_TARGETS.map((m) => {
  const label = `${m.bench}: ${m.metric}`;
  const value = metricResults.find((r) => r.bench === m.bench)?.metrics[m.metric];
  const problem = value !== undefined && value > m.max ? `over its maximum ${m.max}` : undefined;
  return { label, value, max: m.max, problem, unit: m.unit };
});
if (!check) {
  const lines = metricRows.map(
    (r) =>
      `${r.label.padEnd(64)} ${r.value === undefined ? '   -  ' : String(r.value).padStart(6)} ${r.unit.padEnd(3)} max ${r.max}  ${r.problem ? `FAIL (${r.problem})` : r.value === undefined ? 'not measured' : 'ok'}`,
  );
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

if (!check) {
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length };
  const date = new Date().toISOString();
  writeFileSync(
    join(here, 'results.json'),
    `${JSON.stringify({ ...machine, date, rounds: Number(env.BENCH_ROUNDS), ratios: rows, metrics: metricRows, results, metricResults }, null, 2)}\n`,
  );
  const title = `siemkit benchmarks, ratios in one run (Node ${machine.node}, ${machine.cpus}x ${machine.cpu}, ${date.slice(0, 10)})`;
  writeFileSync(join(here, 'results.svg'), ratioChart(title, rows));
  process.stdout.write('wrote bench/results.json and bench/results.svg\n');
}

const problems = [
  ...failedFiles,
  ...rows.filter((r) => r.problem).map((r) => `${r.label}: ${r.problem}`),
  ...metricRows.filter((r) => r.problem).map((r) => `${r.label}: ${r.problem}`),
];
if (problems.length > 0) {
  process.stdout.write(`\nbench check failed:\n  ${problems.join('\n  ')}\n`);
  process.exitCode = 1;
}
