// syslog-ng 3.38: `syslog()` demands octet counting, `network()` demands LF. Each must accept every
// corpus record with its framing; the other framing must not get through intact (proof the check can fail).
import t from 'tap';
import { adversarialCorpus } from '../helpers/adversarial-corpus.js';
import {
  CEF_RULEBASE,
  lognormalize,
  type SyslogNgOptions,
  skipUnlessInstalled,
  startSyslogNg,
  waitForLines,
} from '../helpers/receivers.js';
import { diffRecords, expectedCef } from '../helpers/record-diff.js';
import { type Framing, rfc5424, sendSyslog } from '../helpers/syslog-send.js';
import { flatten, formatTestCef } from '../helpers/test-records.js';

const skip = skipUnlessInstalled('syslog-ng', 'lognormalizer');
const records = adversarialCorpus(0x5106, 160).map(flatten);
const bodies = records.map((r) => formatTestCef(r));
const messages = bodies.map((b, i) => rfc5424(b, i));

interface Case {
  source: SyslogNgOptions['source'];
  accepts: Framing;
  rejects: Framing;
}
const CASES: readonly Case[] = [
  { source: 'syslog', accepts: 'octet-counting', rejects: 'lf' },
  { source: 'network', accepts: 'lf', rejects: 'octet-counting' },
];

for (const c of CASES) {
  t.test(`syslog-ng ${c.source}() accepts every record with ${c.accepts} framing`, { skip }, async (t) => {
    t.setTimeout(60_000);
    const sng = await startSyslogNg(t, { source: c.source });
    await sendSyslog(messages, { port: sng.port, framing: c.accepts });
    const received = await waitForLines(sng.messagesFile, messages.length);
    if (!t.equal(received.length, messages.length, 'one line per record')) t.comment(sng.log());
    t.equal(firstDifference(received, bodies), -1, 'each $MSG is the CEF body byte for byte');
    // The same bytes after syslog-ng still parse back to the input values.
    const parsed = await lognormalize(sng.messagesFile, CEF_RULEBASE);
    t.same(
      diffRecords(
        parsed,
        records.map((r) => ({ cef: expectedCef(r) })),
      ),
      [],
    );
  });

  t.test(`syslog-ng ${c.source}() does not pass ${c.rejects} framing through intact`, { skip }, async (t) => {
    t.setTimeout(60_000);
    const sng = await startSyslogNg(t, { source: c.source });
    await sendSyslog(messages.slice(0, 5), { port: sng.port, framing: c.rejects }).catch(() => undefined);
    const received = await waitForLines(sng.messagesFile, 5, 3_000);
    const intact = received.filter((line) => bodies.includes(line));
    t.ok(intact.length < 5, `at most some records survive (${intact.length} of 5 intact)`);
    if (c.rejects === 'lf') t.match(sng.log(), /Invalid frame header/, 'syslog() reports the bad frame');
    else t.ok(received.length < 5, `without LF the records run together (${received.length} lines for 5)`);
  });
}

function firstDifference(actual: readonly string[], expected: readonly string[]): number {
  for (const [i, e] of expected.entries()) if (actual[i] !== e) return i;
  return actual.length === expected.length ? -1 : expected.length;
}
