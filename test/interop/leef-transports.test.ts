// LEEF 1.0 and 2.0 over every transport and framing, checked with the strict parser written from IBM's
// rules (no independent LEEF parser exists here): each record arrives once and parses to its input values.
import t from 'tap';
import { adversarialCorpus } from '../helpers/adversarial-corpus.js';
import { leefBody, parseLeef } from '../helpers/leef-parser.js';
import {
  type Receiver,
  skipUnlessInstalled,
  startRsyslog,
  startSyslogNg,
  type Teardown,
  waitForLines,
} from '../helpers/receivers.js';
import { diffRecords } from '../helpers/record-diff.js';
import { type Framing, rfc5424, sendSyslog } from '../helpers/syslog-send.js';
import {
  type FlatRecord,
  flatten,
  formatTestLeef,
  type LeefVersion,
  leefHeaderValue,
  leefValue,
  PRODUCT,
  VENDOR,
  VERSION,
} from '../helpers/test-records.js';
import { tlsMaterial } from '../helpers/tls-material.js';

const skip = skipUnlessInstalled('rsyslog', 'syslog-ng');
const records = adversarialCorpus(0x1eef, 90).map(flatten);
// 1.0 (TAB), 2.0 with a literal `^`, 2.0 with the hex form `x5E`: one message list, sent in order.
const VARIANTS: readonly { version: LeefVersion; hex: boolean }[] = [
  { version: '1.0', hex: false },
  { version: '2.0', hex: false },
  { version: '2.0', hex: true },
];
const lines = VARIANTS.flatMap((v) => records.map((r) => formatTestLeef(r, v.version, v.hex)));
const messages = lines.map((l, i) => rfc5424(l, i));
const expected = VARIANTS.flatMap((v) => records.map((r) => expectedLeef(r, v.version)));

function expectedLeef(record: FlatRecord, version: LeefVersion): Record<string, unknown> {
  const delimiter = version === '1.0' ? '\t' : '^';
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(record.pairs))
    attributes[k === 'rt' ? 'devTime' : k] = leefValue(v, delimiter);
  return {
    ok: true,
    record: {
      version,
      vendor: leefHeaderValue(VENDOR),
      product: leefHeaderValue(PRODUCT),
      productVersion: leefHeaderValue(VERSION),
      eventId: leefHeaderValue(record.signatureId),
      delimiter,
      attributes,
    },
  };
}

interface Case {
  name: string;
  framing: Framing;
  tls?: boolean;
  start: (
    t: Teardown,
    material?: { cert: string; key: string },
  ) => Promise<{ receiver: Receiver; file: string }>;
}

const rsyslog =
  (transport: 'tcp' | 'tls') => async (t: Teardown, material?: { cert: string; key: string }) => {
    // rsyslog rewrites TAB to `#011` by default; LEEF 1.0 needs it kept (see the test below).
    const r = await startRsyslog(t, { transport, keepTabs: true, ...material });
    return { receiver: r, file: r.rawFile };
  };
const syslogNg = (source: 'syslog' | 'network') => async (t: Teardown) => {
  const r = await startSyslogNg(t, { source });
  return { receiver: r, file: r.messagesFile };
};

const CASES: readonly Case[] = [
  { name: 'rsyslog plain TCP, LF', framing: 'lf', start: rsyslog('tcp') },
  { name: 'rsyslog plain TCP, octet counting', framing: 'octet-counting', start: rsyslog('tcp') },
  { name: 'rsyslog TLS, octet counting', framing: 'octet-counting', tls: true, start: rsyslog('tls') },
  { name: 'syslog-ng syslog(), octet counting', framing: 'octet-counting', start: syslogNg('syslog') },
  { name: 'syslog-ng network(), LF', framing: 'lf', start: syslogNg('network') },
];

for (const c of CASES) {
  t.test(
    `LEEF 1.0 and 2.0 via ${c.name}: every record once, strict parse equals input`,
    { skip },
    async (t) => {
      t.setTimeout(90_000);
      const material = c.tls ? await tlsMaterial() : undefined;
      const { receiver, file } = await c.start(t, material);
      await sendSyslog(messages, { port: receiver.port, framing: c.framing, ca: material?.cert });
      const received = await waitForLines(file, messages.length);
      if (!t.equal(received.length, messages.length, 'one line per record')) t.comment(receiver.log());
      const parsed = received.map((m) => parseLeef(leefBody(m)));
      t.same(diffRecords(parsed, expected), []);
    },
  );
}

t.test('rsyslog by default rewrites TAB to #011, which breaks LEEF 1.0 pairs', { skip }, async (t) => {
  t.setTimeout(60_000);
  const r = await startRsyslog(t, { transport: 'tcp' });
  const record = records[0]!;
  await sendSyslog([rfc5424(formatTestLeef(record, '1.0'), 0)], { port: r.port, framing: 'lf' });
  const [raw = ''] = await waitForLines(r.rawFile, 1);
  t.notOk(raw.includes('\t'), 'no TAB arrives');
  t.match(raw, /#011/, 'TAB became the text #011');
  const parsed = parseLeef(leefBody(raw));
  t.ok(!parsed.ok || Object.keys(parsed.record.attributes).length === 1, 'the pairs run together');
});
