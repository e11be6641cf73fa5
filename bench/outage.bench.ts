// A 10 s receiver outage at full source speed, through SyslogSink + DiskSpool (write-ahead): peak RSS, events
// lost, and the time to drain the backlog after recovery as a multiple of the outage (performance.md targets:
// RSS < 150 MB, 0 lost). The receiver runs in a child process (bench/outage-receiver.ts).
// Full `npm run bench` only: it takes about a minute.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool } from '../sinks/disk-spool.js';
import { line, makeSink, type ReceiverReport, startReceiver, tick } from './outage-support.js';

const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 10_000);
/** Source rate after recovery: a busy event bus that keeps going while the backlog drains. */
const NOMINAL_PER_S = Number(process.env.OUTAGE_NOMINAL ?? 20_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function outage(): Promise<Record<string, number>> {
  const receiver = startReceiver();
  const { port } = await receiver.ask<{ port: number }>('', 'started');
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-outage-'));
  const spool = DiskSpool.open({ path: dir, maxBytes: null });
  const sink = makeSink(port, spool);
  let phase = 'warm-up';
  const peakByPhase: Record<string, number> = {};
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    peakByPhase[phase] = Math.max(peakByPhase[phase] ?? 0, Math.round(rss / 1048576));
  }, 50);
  let id = 0;
  const fullSpeed = async (untilMs: number) => {
    while (Date.now() < untilMs) {
      for (let i = 0; i < 500; i++) sink.write(line(id++));
      await tick();
    }
  };
  await fullSpeed(Date.now() + 2000); // receiver up
  await receiver.ask('stop', 'stopped');
  phase = 'outage';
  const outageStart = Date.now();
  const before = id;
  await fullSpeed(outageStart + OUTAGE_MS);
  const duringOutage = id - before;
  const backlogBytes = spool.stats.bytes;
  await receiver.ask('start', 'started');
  phase = 'drain';
  const recovered = Date.now();
  // Keep a nominal source going until the backlog is gone.
  let drainMs = Number.NaN;
  while (Date.now() - recovered < 20 * OUTAGE_MS) {
    for (let i = 0; i < NOMINAL_PER_S / 100; i++) sink.write(line(id++));
    await sleep(10);
    if (spool.stats.records < NOMINAL_PER_S / 10) {
      drainMs = Date.now() - recovered;
      break;
    }
  }
  if (process.env.OUTAGE_DEBUG) {
    process.stderr.write(`${JSON.stringify(process.memoryUsage())}\n`);
    (globalThis as { gc?: () => void }).gc?.();
    process.stderr.write(`after gc ${JSON.stringify(process.memoryUsage())}\n`);
  }
  phase = 'end';
  await sink.end({ timeoutMs: 60_000 });
  clearInterval(sampler);
  let got: ReceiverReport = { distinct: 0, duplicates: 0, records: 0 };
  for (let waited = 0; waited < 30_000; waited += 200) {
    got = await receiver.ask<ReceiverReport>('report', 'report');
    if (got.distinct >= id) break;
    await sleep(200);
  }
  receiver.child.send({ type: 'exit' });
  rmSync(dir, { recursive: true, force: true });
  return {
    outageMs: OUTAGE_MS,
    events: id,
    eventsDuringOutage: duringOutage,
    sourceEventsPerSecDuringOutage: Math.round((duringOutage * 1000) / OUTAGE_MS),
    backlogMB: Math.round(backlogBytes / 1048576),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    peakRssOutageMB: peakByPhase.outage ?? 0,
    peakRssDrainMB: peakByPhase.drain ?? 0,
    lost: id - got.distinct,
    duplicates: got.duplicates,
    resent: sink.stats.replayed + sink.stats.resent,
    drainMs,
    drainMultiple: Number((drainMs / OUTAGE_MS).toFixed(2)),
    nominalEventsPerSecAfterRecovery: NOMINAL_PER_S,
  };
}

const metrics = await outage();
process.stderr.write(`outage\n${JSON.stringify(metrics, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ bench: 'outage', metrics })}\n`);
process.exit(0);
