// The file sink against a raw batched fs write of the same bytes, and against the naive
// one-write-per-record through rotating-file-stream. Target: sink >= 0.5x raw.
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStream } from 'rotating-file-stream';
import { RotatingFileSink } from '../sinks/rotating-file-sink.js';
import { race, report } from './harness.js';

const COUNT = 50_000;
const lines = Array.from(
  { length: COUNT },
  (_, i) => `CEF:0|siemkit|bench|1|100|record ${i}|3|suser=alice msg=${'x'.repeat(120)}`,
);
const totalBytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
// About 4 rotations per round.
const maxFileSizeBytes = Math.ceil(totalBytes / 4.5);
const root = mkdtempSync(join(tmpdir(), 'siemkit-bench-'));
let round = 0;
const freshDir = () => join(root, String(round++));

async function rawBatched(): Promise<number> {
  const dir = freshDir();
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const fh = await open(join(dir, 'EventLog'), 'a');
  let batch = '';
  for (const line of lines) {
    batch += line + '\n';
    if (batch.length >= 65_536) {
      await fh.write(Buffer.from(batch));
      batch = '';
    }
  }
  if (batch) await fh.write(Buffer.from(batch));
  await fh.close();
  rmSync(dir, { recursive: true });
  return COUNT;
}

async function sink(): Promise<number> {
  const dir = freshDir();
  const s = new RotatingFileSink({
    location: dir,
    cleanupDailyAt: '00:00',
    cleanupEvery: '1d',
    maxFileSizeBytes,
    fsync: 'never',
  });
  await s.open();
  for (const line of lines) if (!s.write(line)) await new Promise<void>((r) => s.once('drain', r));
  await s.end();
  if (s.stats.rotations < 3) throw new Error(`expected rotations, got ${s.stats.rotations}`);
  rmSync(dir, { recursive: true });
  return COUNT;
}

async function rfsPerRecord(): Promise<number> {
  const dir = freshDir();
  const stream = createStream('EventLog', { path: dir, size: `${Math.ceil(maxFileSizeBytes / 1024)}K` });
  for (const line of lines) {
    if (!stream.write(line + '\n')) await new Promise<void>((r) => stream.once('drain', r));
  }
  await new Promise<void>((resolve, reject) =>
    stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  rmSync(dir, { recursive: true });
  return COUNT;
}

// 50k CEF records (~8 MB) per round, rotation on. The bench name is the key bench/targets.ts looks up.
const result = await race('file-sink', 'records', [
  { name: 'raw fs, 64 KiB batches', run: rawBatched },
  { name: 'RotatingFileSink (rotating)', run: sink },
  { name: 'rotating-file-stream, 1 write/record', run: rfsPerRecord },
]);
report(result);
rmSync(root, { recursive: true, force: true });
