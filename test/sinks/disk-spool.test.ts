import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { DiskSpool, type DiskSpoolOptions } from '../../sinks/disk-spool.js';
import type { SpoolCorruptError } from '../../sinks/spool-errors.js';
import { FRAME_HEADER_BYTES } from '../../sinks/spool-frame.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tempDir = () => mkdtempSync(join(tmpdir(), 'siemkit-spool-'));
const frame = (i: number, pad = 100) => Buffer.from(`<14>rec ${i} ${'x'.repeat(pad)}\n`);
const segments = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.seg'));

function open(t: Test, options: DiskSpoolOptions): DiskSpool {
  const spool = DiskSpool.open({ fsyncIntervalMs: null, ...options });
  t.teardown(() => spool.close());
  return spool;
}

/** Reads everything (acknowledging each chunk) and returns the record numbers in order. */
function drain(spool: DiskSpool, ack = true): number[] {
  const out: number[] = [];
  for (let got = spool.read(4096); got; got = spool.read(4096)) {
    for (const m of got.frames.toString('latin1').matchAll(/rec (\d+) /g)) out.push(Number(m[1]));
    if (ack) spool.ack(got.token);
  }
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

t.test('records come back in order across segments; acknowledged segments are deleted', async (t) => {
  const dir = tempDir();
  const spool = open(t, { path: dir, segmentBytes: 8192 });
  let refused = 0;
  for (let i = 0; i < 1000; i++) if (!spool.append(frame(i), 'audit', 1000 + i)) refused++;
  t.equal(refused, 0);
  spool.commit();
  t.ok(segments(dir).length > 10, 'several segments');
  t.equal(spool.stats.records, 1000);
  const got = spool.read(4096)!;
  t.ok(got.frames.length <= 4096 + 200 && got.records > 10);
  const rest = drain(spool);
  t.same(
    [...got.frames.toString().matchAll(/rec (\d+) /g)].map((m) => Number(m[1])).concat(rest),
    range(0, 1000),
  );
  spool.ack(got.token);
  t.equal(spool.stats.segments, 1, 'only the active segment is left');
  await sleep(50); // files are unlinked asynchronously
  t.equal(segments(dir).length, 1);
  t.equal(spool.stats.records, 0);
  t.equal(spool.empty, true);
});

t.test('acknowledgements out of order only advance over a prefix', async (t) => {
  const dir = tempDir();
  const spool = open(t, { path: dir, segmentBytes: 4096 });
  for (let i = 0; i < 200; i++) spool.append(frame(i), undefined, i);
  const a = spool.read(2048)!;
  const b = spool.read(2048)!;
  const before = spool.stats.segments;
  spool.ack(b.token);
  t.equal(spool.stats.segments, before, 'nothing deleted while an earlier chunk is outstanding');
  spool.ack(a.token);
  t.ok(spool.stats.segments < before);
  await sleep(50); // files are unlinked asynchronously
  t.equal(segments(dir).length, spool.stats.segments);
});

t.test(
  'a new process continues after the last acknowledged record and counts what it sends again',
  async (t) => {
    const dir = tempDir();
    const first = DiskSpool.open({ path: dir, segmentBytes: 8192, fsyncIntervalMs: null });
    for (let i = 0; i < 500; i++) first.append(frame(i), 'alert', i);
    const a = first.read(4096)!; // acknowledged
    first.ack(a.token);
    const acked = [...a.frames.toString().matchAll(/rec (\d+) /g)].length;
    const b = first.read(4096)!; // handed out, never acknowledged (the process dies)
    first.commit();
    // No close(): what a kill -9 leaves behind.
    const second = open(t, { path: dir, segmentBytes: 8192 });
    t.equal(second.stats.records, 500 - acked);
    const got = drain(second);
    t.same(got, range(acked, 500));
    t.equal(second.stats.resent, b.records, 'the unacknowledged chunk counts as resent');
  },
);

t.test(
  'a flipped byte and a torn tail are reported with segment and offset; the rest is delivered',
  async (t) => {
    const dir = tempDir();
    const writer = DiskSpool.open({ path: dir, segmentBytes: 1 << 20, fsyncIntervalMs: null });
    for (let i = 0; i < 300; i++) writer.append(frame(i), 'audit', i);
    writer.commit();
    const [name] = segments(dir);
    const file = join(dir, name!);
    const size = FRAME_HEADER_BYTES + frame(0).length;
    // Records are not all the same size (i has 1-3 digits); find record 100's offset by its text.
    const data = readFileSync(file);
    const offsetOf = (i: number) => data.indexOf(`<14>rec ${i} `) - FRAME_HEADER_BYTES;
    const at100 = offsetOf(100);
    const flipped = Buffer.from(data);
    flipped[at100 + FRAME_HEADER_BYTES + 10]! ^= 0xff; // payload of record 100: checksum fails
    flipped[offsetOf(200)]! ^= 0x01; // magic byte of record 200: not a header
    writeFileSync(file, flipped);
    truncateSync(file, statSync(file).size - Math.floor(size / 2)); // torn write of record 299
    // The writer "crashed"; a new process reads.
    const reader = open(t, { path: dir });
    const errors: SpoolCorruptError[] = [];
    reader.on('corrupt', (e) => errors.push(e));
    const got = drain(reader);
    const expected = range(0, 299).filter((i) => i !== 100 && i !== 200);
    t.same(got, expected);
    t.same(
      errors.map((e) => [e.code, e.fields.segment, e.fields.reason]),
      [
        ['SIEMKIT_ERR_SPOOL_CORRUPT', name, 'bad-checksum'],
        ['SIEMKIT_ERR_SPOOL_CORRUPT', name, 'bad-header'],
        ['SIEMKIT_ERR_SPOOL_CORRUPT', name, 'truncated'],
      ],
    );
    t.equal(errors[0]!.fields.offset, at100);
    t.equal(errors[0]!.fields.skippedBytes, offsetOf(101) - at100);
    t.equal(reader.stats.corruptions, 3);
    writer.close();
  },
);

t.test('full spool, policy oldest: whole oldest segments go, counted per kind, one summary', async (t) => {
  const dir = tempDir();
  const spool = open(t, { path: dir, maxBytes: 1 << 20, segmentBytes: 64 * 1024, summaryIntervalMs: 0 });
  const kinds = ['audit', 'alert', 'client-record', 'mystery'];
  const n = 20_000; // ~2.6 MB of records into a 1 MiB spool
  for (let i = 0; i < n; i++) spool.append(frame(i), kinds[i % 4], 10_000 + i);
  spool.commit();
  const stats = spool.stats;
  t.ok(stats.bytes <= 1 << 20, `bytes ${stats.bytes} within the cap`);
  t.ok(stats.dropped > 0);
  t.equal(stats.dropped + stats.records, n, 'every record is either kept or counted as dropped');
  t.same(Object.keys(stats.droppedByKind).sort(), ['alert', 'audit', 'client-record', 'other']);
  const first = spool.read(4096)!;
  t.equal(first.dropped?.dropped, stats.dropped);
  t.equal(first.dropped?.firstEventMs, 10_000);
  t.same(first.dropped?.byKind, stats.droppedByKind);
  const kept = [...first.frames.toString().matchAll(/rec (\d+) /g)].map((m) => Number(m[1]));
  t.equal(kept[0], stats.dropped, 'the oldest went; what is left starts right after them');
  const rest = drain(spool);
  t.same(kept.concat(rest), range(stats.dropped, n));
});

t.test(
  'full spool, policy newest: the records that do not fit are refused; drops survive a restart',
  async (t) => {
    const dir = tempDir();
    const spool = DiskSpool.open({
      path: dir,
      maxBytes: 1 << 20,
      dropPolicy: 'newest',
      fsyncIntervalMs: null,
    });
    let refused = 0;
    for (let i = 0; i < 20_000; i++) if (!spool.append(frame(i), 'audit', 5000 + i)) refused++;
    t.ok(refused > 0);
    t.equal(spool.stats.droppedByKind.audit, refused);
    spool.close(); // saves the pending summary
    const again = open(t, { path: dir, maxBytes: 1 << 20, dropPolicy: 'newest' });
    const first = again.read(4096)!;
    t.equal(first.dropped?.dropped, refused);
    t.equal(first.dropped?.lastEventMs, 5000 + 19_999);
    const kept = [...first.frames.toString().matchAll(/rec (\d+) /g)].map((m) => Number(m[1]));
    t.same(kept.concat(drain(again)), range(0, 20_000 - refused));
  },
);

t.test('a record larger than the write buffer has a write of its own', async (t) => {
  const dir = tempDir();
  const spool = open(t, { path: dir });
  spool.append(frame(1), 'audit', 1);
  spool.append(frame(2, 200_000), 'audit', 2);
  spool.append(frame(3), 'audit', 3);
  t.same(drain(spool), [1, 2, 3]);
});

t.test('invalid options throw at creation', async (t) => {
  t.throws(() => DiskSpool.open({ path: '' }), { code: 'SIEMKIT_ERR_INVALID_OPTION' });
  t.throws(() => DiskSpool.open({ path: tempDir(), maxBytes: 10 }), { code: 'SIEMKIT_ERR_INVALID_OPTION' });
  t.throws(() => DiskSpool.open({ path: tempDir(), dropPolicy: 'random' as 'oldest' }), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
  });
});
