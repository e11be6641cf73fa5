// liblognorm issue 363: its CEF parser drops the first character after the last header pipe unless a
// space precedes the extension. This pins the behaviour of the installed version, with and without the
// space, so the choice siemkit makes rests on evidence (and this test says when upstream changes).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { adversarialCorpus } from '../helpers/adversarial-corpus.js';
import { CEF_RULEBASE, lognormalize, skipUnlessInstalled } from '../helpers/receivers.js';
import { diffRecords, expectedCef } from '../helpers/record-diff.js';
import { flatten, formatTestCef } from '../helpers/test-records.js';

const skip = skipUnlessInstalled('lognormalizer');

async function parseLines(t: { testdir(): string }, lines: readonly string[]) {
  const file = path.join(t.testdir(), 'in.cef');
  await writeFile(file, lines.map((l) => l + '\n').join(''));
  return lognormalize(file, CEF_RULEBASE);
}

t.test('without the space the first key loses its first character', { skip }, async (t) => {
  const [noSpace, withSpace] = await parseLines(t, [
    'CEF:0|Acme|AuditLib|1.0|login|User login|5|rt=1717243200123 suser=bob',
    'CEF:0|Acme|AuditLib|1.0|login|User login|5| rt=1717243200123 suser=bob',
  ]);
  t.same((noSpace as { cef: { Extensions: object } }).cef.Extensions, { t: '1717243200123', suser: 'bob' });
  t.same((withSpace as { cef: { Extensions: object } }).cef.Extensions, {
    rt: '1717243200123',
    suser: 'bob',
  });
});

t.test('a one-letter first key without the space becomes an empty key', { skip }, async (t) => {
  const [result] = await parseLines(t, ['CEF:0|Acme|AuditLib|1.0|login|User login|5|a=1 suser=bob']);
  t.same((result as { cef: { Extensions: object } }).cef.Extensions, { '': '1', suser: 'bob' });
});

t.test('over the corpus: every record breaks without the space, none with it', { skip }, async (t) => {
  const records = adversarialCorpus(0x363, 64).map(flatten);
  const expected = records.map((r) => ({ cef: expectedCef(r) }));
  const without = await parseLines(
    t,
    records.map((r) => formatTestCef(r, false)),
  );
  const broken = without.filter((p, i) => diffRecords([p], [expected[i]!]).length > 0).length;
  t.equal(broken, records.length, 'each record loses its first key without the space');
  t.same(
    diffRecords(
      await parseLines(
        t,
        records.map((r) => formatTestCef(r, true)),
      ),
      expected,
    ),
    [],
  );
});
