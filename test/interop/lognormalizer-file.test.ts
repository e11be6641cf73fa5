// CEF log files (test-formatted, and real encoder + RotatingFileSink) parsed by lognormalizer
// (liblognorm's CEF parser on files): every line parses and
// every field round-trips.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { createCefEncoder } from '../../lib/cef.js';
import { RotatingFileSink } from '../../sinks/rotating-file-sink.js';
import { adversarialCorpus } from '../helpers/adversarial-corpus.js';
import { expectedCef as expectedFromLine } from '../helpers/cef-expectations.js';
import { CEF_RULEBASE, lognormalize, skipUnlessInstalled } from '../helpers/receivers.js';
import { diffRecords, expectedCef } from '../helpers/record-diff.js';
import { flatten, formatTestCef } from '../helpers/test-records.js';

const skip = skipUnlessInstalled('lognormalizer');

t.test('lognormalizer parses every line of a CEF file back to the input values', { skip }, async (t) => {
  t.setTimeout(60_000);
  const records = adversarialCorpus(0xf11e, 400).map(flatten);
  const file = path.join(t.testdir(), 'events.cef');
  await writeFile(file, records.map((r) => formatTestCef(r) + '\n').join(''));

  const parsed = await lognormalize(file, CEF_RULEBASE);
  t.equal(parsed.length, records.length, 'one result per line: no line was split');
  t.same(parsed.filter((p) => 'unparsed-data' in p).length, 0, 'no line is rejected by the parser');
  t.same(
    diffRecords(
      parsed,
      records.map((r) => ({ cef: expectedCef(r) })),
    ),
    [],
  );
});

t.test(
  'a RotatingFileSink file of createCefEncoder records (spaceBeforeExtension) parses line for line',
  { skip },
  async (t) => {
    t.setTimeout(60_000);
    const written = adversarialCorpus(0xf11f, 400).map(createCefEncoder({ spaceBeforeExtension: true }));
    const dir = t.testdir();
    const sink = new RotatingFileSink({
      location: dir,
      name: 'events.cef',
      cleanupDailyAt: null,
      cleanupEvery: null,
    });
    await sink.open();
    for (const line of written) sink.write(line);
    await sink.end();

    const parsed = await lognormalize(path.join(dir, 'events.cef'), CEF_RULEBASE);
    t.equal(parsed.filter((p) => 'unparsed-data' in p).length, 0, 'no line is rejected');
    t.same(
      diffRecords(
        parsed,
        written.map((l) => expectedFromLine(l, true)),
      ),
      [],
    );
  },
);
