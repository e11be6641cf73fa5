// rsyslog imtcp + mmnormalize (liblognorm's CEF parser): every corpus record arrives once, whole,
// and parses back to the values that went in, over each transport and framing rsyslog accepts.
import t from 'tap';
import { adversarialCorpus } from '../helpers/adversarial-corpus.js';
import {
  type RsyslogOptions,
  skipUnlessInstalled,
  startRsyslog,
  waitForLines,
} from '../helpers/receivers.js';
import { diffRecords, expectedCef } from '../helpers/record-diff.js';
import { type Framing, rfc5424, sendSyslog } from '../helpers/syslog-send.js';
import { flatten, formatTestCef } from '../helpers/test-records.js';
import { tlsMaterial } from '../helpers/tls-material.js';

const skip = skipUnlessInstalled('rsyslog');
const records = adversarialCorpus(0x5eed, 240).map(flatten);
const messages = records.map((r, i) => rfc5424(formatTestCef(r), i));
const expected = records.map((r) => ({ cef: expectedCef(r) }));

interface Case {
  name: string;
  transport: RsyslogOptions['transport'];
  framing: Framing;
}
const CASES: readonly Case[] = [
  { name: 'plain TCP, LF framing', transport: 'tcp', framing: 'lf' },
  { name: 'plain TCP, octet counting', transport: 'tcp', framing: 'octet-counting' },
  { name: 'TLS, octet counting', transport: 'tls', framing: 'octet-counting' },
];

for (const c of CASES) {
  t.test(`rsyslog ${c.name}: every record once, every field round-trips`, { skip }, async (t) => {
    t.setTimeout(90_000);
    const material = c.transport === 'tls' ? await tlsMaterial() : undefined;
    const rsyslog = await startRsyslog(t, { transport: c.transport, ...material });
    await sendSyslog(messages, { port: rsyslog.port, framing: c.framing, ca: material?.cert });

    const parsed = (await waitForLines(rsyslog.parsedFile, records.length)).map((l) => JSON.parse(l));
    if (!t.same(diffRecords(parsed, expected), [], 'mmnormalize output equals the input values'))
      t.comment(rsyslog.log());
    const raw = await waitForLines(rsyslog.rawFile, records.length, 1_000, 0);
    t.same(raw, messages, 'raw messages arrive byte for byte, none split or merged');
  });
}
