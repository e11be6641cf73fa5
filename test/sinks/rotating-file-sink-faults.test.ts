import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import t from 'tap';
import type { FileHandleLike, FileSystem } from '../../sinks/index.js';
import { nodeFileSystem, RotatingFileSink } from '../../sinks/index.js';
import { allLines, join, linesOf, records, transcript } from '../helpers/file-sink-helpers.js';

const base = {
  cleanupDailyAt: null,
  cleanupEvery: null,
  retryInitialDelayMs: 1,
  retryMaxDelayMs: 4,
} as const;
const fault = (code: string) => Object.assign(new Error(`injected ${code}`), { code });

/** The real file system, except that the first `failures` writes fail with `code` (the first after writing `partialBytes`). */
function failingWrites(code: string, failures: number, partialBytes = 0): FileSystem & { attempts: number } {
  const seam = {
    ...nodeFileSystem,
    attempts: 0,
    async open(path: string, flags: string): Promise<FileHandleLike> {
      const real = await nodeFileSystem.open(path, flags);
      return {
        read: (b, o, l, p) => real.read(b, o, l, p),
        sync: () => real.sync(),
        truncate: (n) => real.truncate(n),
        stat: () => real.stat(),
        close: () => real.close(),
        async write(buf, offset, length) {
          seam.attempts++;
          if (seam.attempts === 1 && partialBytes > 0)
            return real.write(buf, offset, Math.min(partialBytes, length));
          if (seam.attempts <= failures + (partialBytes > 0 ? 1 : 0)) throw fault(code);
          return real.write(buf, offset, length);
        },
      };
    },
  };
  return seam;
}

interface WriteFault {
  code: string;
  failures: number;
  partialBytes: number;
}
const writeFaults: WriteFault[] = [
  { code: 'ENOSPC', failures: 3, partialBytes: 0 },
  { code: 'ENOSPC', failures: 2, partialBytes: 1000 }, // short write, then disk full: the rest must follow, not be skipped
  { code: 'EACCES', failures: 1, partialBytes: 0 },
  { code: 'EIO', failures: 4, partialBytes: 0 },
];

for (const f of writeFaults) {
  t.test(
    `write fails with ${f.code} ${f.failures}x (partial ${f.partialBytes}): retried, reported, nothing lost`,
    async (t) => {
      const dir = t.testdir();
      const fs = failingWrites(f.code, f.failures, f.partialBytes);
      const sink = new RotatingFileSink({ location: dir, ...base, fs });
      const log = transcript(sink);
      await sink.open();
      const input = records(500);
      for (const r of input) sink.write(r);
      await sink.end();
      t.same(linesOf(sink.path), input, 'every record exactly once, none split');
      t.equal(log.errors.length, f.failures);
      t.same(log.errors[0], {
        code: 'SIEMKIT_ERR_FILE_WRITE',
        fields: { code: f.code, path: sink.path, op: 'write' },
      });
      t.equal(sink.stats.retried, f.failures);
      t.equal(sink.stats.written, input.length);
      t.same(log.dropped, []);
    },
  );
}

t.test(
  'a disk that stays full: the batch is given up, reported with its records, and cut from the file',
  async (t) => {
    const dir = t.testdir();
    const sink = new RotatingFileSink({
      location: dir,
      ...base,
      maxRetries: 2,
      fs: failingWrites('ENOSPC', 1_000, 500),
    });
    const log = transcript(sink);
    await sink.open();
    const input = records(100);
    for (const r of input) sink.write(r);
    await t.rejects(sink.flush(), {
      code: 'SIEMKIT_ERR_RECORDS_DROPPED',
      fields: { count: 100, reason: 'write-failed' },
    });
    t.same(log.dropped, [input], 'the dropped event carries exactly the records');
    t.same(linesOf(sink.path), [], 'the half-written batch was truncated away');
    t.same(
      { failed: sink.stats.failed, written: sink.stats.written, retried: sink.stats.retried },
      { failed: 100, written: 0, retried: 2 },
    );
    await sink.end(); // its own flush covers no new failure
    t.equal(sink.stats.failed, 100);
  },
);

t.test('an unwritable location is reported at open', async (t) => {
  const dir = t.testdir({ 'a-file': 'x' });
  const notDir = new RotatingFileSink({ location: join(dir, 'a-file', 'logs'), ...base });
  await t.rejects(notDir.open(), {
    code: 'SIEMKIT_ERR_FILE_OPEN',
    fields: { code: 'ENOTDIR', path: join(dir, 'a-file', 'logs', 'EventLog'), op: 'open' },
  });
  const denied = new RotatingFileSink({
    location: join(dir, 'logs'),
    ...base,
    fs: { ...nodeFileSystem, mkdir: async () => Promise.reject(fault('EACCES')) },
  });
  await t.rejects(denied.open(), { code: 'SIEMKIT_ERR_FILE_OPEN', fields: { code: 'EACCES' } });
});

t.test(
  'folder deleted while running: reported, recreated, the open file restored, nothing lost',
  async (t) => {
    const dir = join(t.testdir(), 'logs');
    const sink = new RotatingFileSink({ location: dir, ...base, verifyIntervalMs: 1 });
    const log = transcript(sink);
    await sink.open();
    const first = records(200);
    for (const r of first) sink.write(r);
    await sink.flush();
    rmSync(dir, { recursive: true });
    await new Promise((r) => setTimeout(r, 5));
    const second = records(200, 60, 200);
    for (const r of second) sink.write(r);
    await sink.end();
    t.same(log.errors, [
      { code: 'SIEMKIT_ERR_FILE_REPLACED', fields: { code: 'ENOENT', path: sink.path, op: 'verify' } },
    ]);
    t.same(linesOf(sink.path), [...first, ...second]);
  },
);

t.test(
  'folder replaced (moved away, new one made): the moved file keeps its records, new ones go to the new folder',
  async (t) => {
    const root = t.testdir();
    const dir = join(root, 'logs');
    const sink = new RotatingFileSink({ location: dir, ...base, verifyIntervalMs: 1 });
    const log = transcript(sink);
    await sink.open();
    sink.write('before');
    await sink.flush();
    execFileSync('mv', [dir, join(root, 'moved')]);
    mkdirSync(dir);
    await new Promise((r) => setTimeout(r, 5));
    sink.write('after');
    await sink.end();
    t.equal(log.errors[0]?.code, 'SIEMKIT_ERR_FILE_REPLACED');
    t.same(linesOf(join(root, 'moved', 'EventLog')), ['before']);
    t.same(linesOf(sink.path), ['after']);
  },
);

t.test(
  'a caller ignoring backpressure: refused records are reported, accepted ones all written',
  async (t) => {
    const dir = t.testdir();
    const sink = new RotatingFileSink({ location: dir, ...base, maxBufferBytes: 65_536 });
    const log = transcript(sink);
    await sink.open();
    const input = records(5000, 60);
    let refusedFromFalse = 0;
    for (const r of input) if (!sink.write(r)) refusedFromFalse++;
    await sink.end();
    const refused = log.dropped.flat();
    t.ok(refused.length > 0 && refusedFromFalse >= refused.length, `${refused.length} refused`);
    t.equal(sink.stats.dropped, refused.length);
    t.same(
      [...linesOf(sink.path), ...refused].sort(),
      [...input].sort(),
      'accepted + refused = everything, once',
    );
    t.ok(sink.bufferedBytes === 0);
  },
);

// Mounting needs root or CAP_SYS_ADMIN; probe once so the test is skipped with the reason, not passed.
function mountTmpfs(): { mnt: string } | { reason: string } {
  const mnt = mkdtempSync(join(tmpdir(), 'siemkit-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'pipe' });
    return { mnt };
  } catch (error) {
    rmSync(mnt, { recursive: true, force: true });
    return { reason: `cannot mount a 1 MiB tmpfs here: ${String(error).split('\n')[0]}` };
  }
}
const tmpfs = mountTmpfs();

t.test('a real ENOSPC on a 1 MiB tmpfs', { skip: 'reason' in tmpfs ? tmpfs.reason : false }, async (t) => {
  if (!('mnt' in tmpfs)) return;
  const { mnt } = tmpfs;
  t.teardown(() => {
    execFileSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });
  const sink = new RotatingFileSink({ location: mnt, ...base, maxRetries: 1, fsync: 'always' });
  const log = transcript(sink);
  await sink.open();
  const input = records(20_000, 100); // ~2.6 MB into 1 MiB
  for (const r of input) if (!sink.write(r)) await new Promise<void>((r) => sink.once('drain', r));
  await t.rejects(sink.end(), { code: 'SIEMKIT_ERR_RECORDS_DROPPED' });
  t.ok(
    log.errors.some(
      (e) => e.code === 'SIEMKIT_ERR_FILE_WRITE' && (e.fields as { code: string }).code === 'ENOSPC',
    ),
  );
  const onDisk = linesOf(sink.path);
  const lost = log.dropped.flat();
  t.equal(onDisk.length, sink.stats.written);
  t.equal(lost.length, sink.stats.failed);
  t.same([...onDisk, ...lost].sort(), [...input].sort(), 'on disk + reported = everything, no record split');
  writeFileSync(join(mnt, 'x'), ''); // the mount is still usable
});

t.test('concatenation holds when rotations and faults mix', async (t) => {
  const dir = t.testdir();
  const sink = new RotatingFileSink({
    location: dir,
    ...base,
    maxFileSizeBytes: 20_000,
    fs: failingWrites('EIO', 3, 300),
  });
  const log = transcript(sink);
  await sink.open();
  const input = records(2000);
  for (const r of input) if (!sink.write(r)) await new Promise<void>((r) => sink.once('drain', r));
  await sink.end();
  t.ok(log.rotated.length > 3);
  t.same(allLines(sink, log.rotated), input);
});
