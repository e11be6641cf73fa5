import { statSync } from 'node:fs';
import t from 'tap';
import { parseSettings } from '../../lib/settings.js';
import { RotatingFileSink } from '../../sinks/index.js';
import { FakeTime } from '../helpers/fake-time.js';
import { allLines, filesIn, join, linesOf, records, transcript } from '../helpers/file-sink-helpers.js';

const noSchedule = { cleanupDailyAt: null, cleanupEvery: null } as const;

t.test('writes location/name, creating the folder, one line per record', async (t) => {
  const dir = join(t.testdir(), 'nested', 'logs');
  const sink = new RotatingFileSink({ location: dir, ...noSchedule });
  await sink.open();
  const input = records(3);
  for (const r of input) sink.write(r);
  await sink.end();
  t.equal(sink.path, join(dir, 'EventLog'));
  t.same(linesOf(sink.path), input);
  t.same(sink.stats, {
    written: 3,
    failed: 0,
    dropped: 0,
    retried: 0,
    bytes: input.join('\n').length + 1,
    rotations: 0,
  });
});

t.test(
  'size rotation at a fractional GB limit: rotates only when the next record would pass it',
  async (t) => {
    const dir = t.testdir();
    const settings = parseSettings({
      logFile: { enabled: true, location: dir, maxFileSizeGB: 0.0001, ...noSchedule },
    });
    const limit = Math.floor(0.0001 * 1024 ** 3);
    const sink = RotatingFileSink.fromSettings(settings);
    const log = transcript(sink);
    await sink.open();
    const input = records(5000, 80);
    const lineBytes = input[0]!.length + 1;
    for (const r of input) sink.write(r);
    await sink.end();
    t.ok(log.rotated.length >= 3, `rotated ${log.rotated.length} times`);
    for (const e of log.rotated) {
      const size = statSync(e.newPath).size;
      t.ok(size <= limit && size > limit - lineBytes, `${e.newPath} is ${size} bytes, limit ${limit}`);
      t.equal(e.reason, 'size');
      t.equal(e.oldPath, sink.path);
    }
    t.same(allLines(sink, log.rotated), input);
    t.equal(sink.stats.rotations, log.rotated.length);
  },
);

t.test('cleanup at a set time on the Berlin spring-forward day, driven by a fake clock', async (t) => {
  const dir = t.testdir();
  const time = new FakeTime('2026-03-27T12:00:00Z');
  const sink = new RotatingFileSink({
    location: dir,
    cleanupDailyAt: '02:30',
    cleanupEvery: '1d',
    timeZone: 'Europe/Berlin',
    clock: time.clock,
    timers: time,
  });
  const log = transcript(sink);
  await sink.open();
  sink.write('before-28');
  time.advanceTo('2026-03-29T00:59:59Z'); // 28th 02:30 happened; 29th not yet
  await sink.flush();
  t.same(
    log.rotated.map((e) => e.newPath),
    [join(dir, 'EventLog.2026-03-28_02-30-00')],
  );
  sink.write('on-29-before');
  time.advanceTo('2026-03-29T01:00:00Z'); // 03:00 CEST, the end of the gap
  await sink.flush();
  sink.write('on-29-after');
  time.advanceTo('2026-03-29T21:59:59Z'); // the rest of the 29th: nothing more
  await sink.flush();
  t.same(
    log.rotated.map((e) => [e.newPath, e.reason]),
    [
      [join(dir, 'EventLog.2026-03-28_02-30-00'), 'schedule'],
      [join(dir, 'EventLog.2026-03-29_03-00-00'), 'schedule'],
    ],
  );
  t.same(linesOf(join(dir, 'EventLog.2026-03-28_02-30-00')), ['before-28']);
  t.same(linesOf(join(dir, 'EventLog.2026-03-29_03-00-00')), ['on-29-before']);
  t.same(linesOf(sink.path), ['on-29-after']);
  await sink.end();
});

t.test('every hour across the New York fall-back: 01:30 cleans up once', async (t) => {
  const dir = t.testdir();
  const time = new FakeTime('2026-11-01T04:00:00Z'); // 00:00 EDT
  const sink = new RotatingFileSink({
    location: dir,
    cleanupDailyAt: '00:30',
    cleanupEvery: '1h',
    timeZone: 'America/New_York',
    clock: time.clock,
    timers: time,
  });
  const log = transcript(sink);
  await sink.open();
  // One record every 20 minutes of elapsed time, 6 hours (00:00 EDT to 05:00 EST).
  const written: string[] = [];
  for (let m = 0; m < 360; m += 20) {
    time.advanceTo(new Date(Date.parse('2026-11-01T04:00:00Z') + m * 60_000 + 1).toISOString());
    const r = `at+${m}m`;
    written.push(r);
    sink.write(r);
    await sink.flush();
  }
  t.same(
    log.rotated.map((e) => e.newPath.slice(dir.length + 1)),
    ['00-30', '01-30', '02-30', '03-30', '04-30'].map((hm) => `EventLog.2026-11-01_${hm}-00`),
  );
  t.same(
    linesOf(log.rotated[1]!.newPath),
    ['at+40m', 'at+60m', 'at+80m'],
    '01:30 EDT to 01:30 EST is one file of 1 h',
  );
  t.same(allLines(sink, log.rotated), written);
  await sink.end();
});

t.test('two cleanups in the same second get .1, .2 and never overwrite', async (t) => {
  const dir = t.testdir();
  const time = new FakeTime('2026-12-03T14:30:00.100Z');
  const sink = new RotatingFileSink({
    location: dir,
    ...noSchedule,
    maxFileSizeBytes: 20,
    clock: time.clock,
    timers: time,
  });
  const log = transcript(sink);
  await sink.open();
  for (const r of ['first-record', 'second-record', 'third-record', 'fourth-record']) sink.write(r);
  await sink.end();
  t.same(filesIn(dir), [
    'EventLog',
    'EventLog.2026-12-03_14-30-00',
    'EventLog.2026-12-03_14-30-00.1',
    'EventLog.2026-12-03_14-30-00.2',
  ]);
  t.same(
    log.rotated.map((e) => linesOf(e.newPath)),
    [['first-record'], ['second-record'], ['third-record']],
  );
  t.same(linesOf(sink.path), ['fourth-record']);
});

t.test('retention keeps maxFiles renamed files and removes the oldest', async (t) => {
  const dir = t.testdir({
    'EventLog.2020-01-01_00-00-00': 'from an earlier run\n',
    'Other.2020-01-01_00-00-00': 'not ours\n',
  });
  const sink = new RotatingFileSink({ location: dir, ...noSchedule, maxFileSizeBytes: 100, maxFiles: 2 });
  const log = transcript(sink);
  await sink.open();
  const input = records(6, 60); // > 50 bytes each: one record per file
  for (const r of input) sink.write(r);
  await sink.end();
  t.equal(log.rotated.length, 5);
  t.same(log.removed, [
    join(dir, 'EventLog.2020-01-01_00-00-00'),
    ...log.rotated.slice(0, 3).map((e) => e.newPath),
  ]);
  t.same(filesIn(dir).filter((n) => n.startsWith('EventLog.')).length, 2);
  t.ok(filesIn(dir).includes('Other.2020-01-01_00-00-00'), 'files of another name are left alone');
  t.same(linesOf(log.rotated[4]!.newPath), [input[4]!]);
});

t.test('compress gzips renamed files with .gz in the name, readable with zlib', async (t) => {
  const dir = t.testdir();
  const sink = new RotatingFileSink({ location: dir, ...noSchedule, maxFileSizeBytes: 4096, compress: true });
  const log = transcript(sink);
  await sink.open();
  const input = records(300);
  for (const r of input) sink.write(r);
  await sink.end();
  t.ok(log.rotated.length >= 3);
  for (const e of log.rotated) t.match(e.newPath, /EventLog\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d(\.\d+)?\.gz$/);
  t.notOk(
    filesIn(dir).some((n) => n !== 'EventLog' && !n.endsWith('.gz')),
    'no uncompressed leftovers',
  );
  t.same(allLines(sink, log.rotated), input);
});

t.test('High Availability forbids the log file', async (t) => {
  t.throws(() => parseSettings({ highAvailability: true, logFile: { enabled: true } }), {
    code: 'SIEMKIT_ERR_INVALID_SETTINGS',
    fields: { problems: [/^logFile\.enabled: must be false in High Availability mode/] },
  });
  t.equal(parseSettings({ highAvailability: true, logFile: { enabled: false } }).highAvailability, true);
});

t.test('many writes with rotations and flushes: nothing lost, duplicated or reordered', async (t) => {
  const dir = t.testdir();
  const sink = new RotatingFileSink({
    location: dir,
    ...noSchedule,
    maxFileSizeBytes: 200_000,
    maxBufferBytes: 256 * 1024,
  });
  const log = transcript(sink);
  await sink.open();
  const input = records(40_000, 40);
  let refused = 0;
  const producers = [0, 1].map(async (lane) => {
    for (let i = lane; i < input.length; i += 2) {
      // Two producers interleave through one sink: order is acceptance order.
      if (!sink.write(input[i]!)) await new Promise<void>((r) => sink.once('drain', r));
      if (i % 5000 === lane) await sink.flush();
    }
  });
  sink.on('dropped', () => refused++);
  await Promise.all(producers);
  await sink.end();
  t.equal(refused, 0, 'backpressure kept every record within the buffer');
  const lines = allLines(sink, log.rotated);
  t.equal(lines.length, input.length);
  t.same(new Set(lines).size, input.length, 'no duplicates');
  t.same([...lines].sort(), [...input].sort(), 'exactly the records written');
  t.ok(log.rotated.length >= 5, `${log.rotated.length} rotations`);
  t.equal(sink.stats.written, input.length);
});

t.test('a record with a line feed is refused; unknown options are errors', async (t) => {
  const sink = new RotatingFileSink({ location: t.testdir(), ...noSchedule });
  t.throws(() => sink.write('a\nb'), { code: 'SIEMKIT_ERR_INVALID_RECORD' });
  t.throws(() => new RotatingFileSink({ maxFileSizeGB: 1 } as never), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
    fields: { option: 'maxFileSizeGB' },
  });
  t.throws(() => new RotatingFileSink({ maxFileSizeBytes: 0 }), { code: 'SIEMKIT_ERR_INVALID_OPTION' });
});

t.test('a cleanup missed while the process was down is done at open', async (t) => {
  const dir = t.testdir({ EventLog: 'old-1\nold-2\n' });
  const old = new Date('2026-05-01T10:00:00Z');
  (await import('node:fs')).utimesSync(join(dir, 'EventLog'), old, old);
  const time = new FakeTime('2026-05-03T08:00:00Z');
  const sink = new RotatingFileSink({
    location: dir,
    cleanupDailyAt: '00:00',
    cleanupEvery: '1d',
    clock: time.clock,
    timers: time,
  });
  const log = transcript(sink);
  await sink.open();
  sink.write('new');
  await sink.end();
  t.same(
    log.rotated.map((e) => e.newPath),
    [join(dir, 'EventLog.2026-05-02_00-00-00')],
  );
  t.same(linesOf(log.rotated[0]!.newPath), ['old-1', 'old-2']);
  t.same(linesOf(sink.path), ['new']);
});
