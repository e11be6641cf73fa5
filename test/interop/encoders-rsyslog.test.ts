// The real encoders (lib/cef.ts, lib/leef.ts) against the real receivers. Expected values come from
// the spec-strict parsers on main (test/helpers/strict-*-parser.ts), written independently of both the
// encoders and liblognorm: the receiver must read exactly what the spec says the line holds.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { createCefEncoder } from '../../lib/cef.js';
import { createLeefEncoder } from '../../lib/leef.js';
import { adversarialCorpus } from '../helpers/adversarial-corpus.js';
import { expectedCef, withExtensionSpace } from '../helpers/cef-expectations.js';
import { leefBody, parseLeef } from '../helpers/leef-parser.js';
import {
  CEF_RULEBASE,
  lognormalize,
  type RsyslogOptions,
  skipUnlessInstalled,
  startRsyslog,
  waitForLines,
} from '../helpers/receivers.js';
import { diffRecords } from '../helpers/record-diff.js';
import { parseCef } from '../helpers/strict-cef-parser.js';
import { type Framing, rfc5424, sendSyslog } from '../helpers/syslog-send.js';
import { tlsMaterial } from '../helpers/tls-material.js';

const skip = skipUnlessInstalled('rsyslog', 'lognormalizer');
const events = adversarialCorpus(0xe7c0, 200);
const cefLines = events.map(createCefEncoder());
const spacedLines = events.map(createCefEncoder({ spaceBeforeExtension: true }));

t.test(
  'createCefEncoder output as written: liblognorm loses the first key (issue 363)',
  { skip },
  async (t) => {
    const file = path.join(t.testdir(), 'encoder.cef');
    await writeFile(file, cefLines.map((l) => l + '\n').join(''));
    const parsed = await lognormalize(file, CEF_RULEBASE);
    const broken = parsed.filter((p, i) => diffRecords([p], [expectedCef(cefLines[i]!)]).length > 0).length;
    t.equal(broken, cefLines.length, `${broken} of ${cefLines.length} records misread by liblognorm`);
  },
);

t.test(
  'createCefEncoder output with the extension space: lognormalizer reads every field',
  { skip },
  async (t) => {
    const lines = cefLines.map(withExtensionSpace);
    t.same(lines, spacedLines, 'the spaceBeforeExtension option writes exactly that space');
    // Evidence for the decision: the repo's spec-strict parser refuses the space that liblognorm needs.
    t.throws(
      () => parseCef(lines[0]!),
      /does not start with a key/,
      'the strict parser rejects a leading space',
    );
    const file = path.join(t.testdir(), 'encoder.cef');
    await writeFile(file, lines.map((l) => l + '\n').join(''));
    t.same(
      diffRecords(
        await lognormalize(file, CEF_RULEBASE),
        cefLines.map((l) => expectedCef(l)),
      ),
      [],
    );
  },
);

interface Case {
  transport: RsyslogOptions['transport'];
  framing: Framing;
}
const CASES: readonly Case[] = [
  { transport: 'tcp', framing: 'lf' },
  { transport: 'tcp', framing: 'octet-counting' },
  { transport: 'tls', framing: 'octet-counting' },
];

for (const c of CASES) {
  t.test(
    `createCefEncoder (spaceBeforeExtension) via rsyslog ${c.transport}, ${c.framing}: mmnormalize reads every field`,
    { skip },
    async (t) => {
      t.setTimeout(90_000);
      const material = c.transport === 'tls' ? await tlsMaterial() : undefined;
      const rsyslog = await startRsyslog(t, { transport: c.transport, ...material });
      const lines = spacedLines;
      const messages = lines.map((l, i) => rfc5424(l, i));
      await sendSyslog(messages, { port: rsyslog.port, framing: c.framing, ca: material?.cert });
      const parsed = (await waitForLines(rsyslog.parsedFile, lines.length)).map((l) => JSON.parse(l));
      t.same(
        diffRecords(
          parsed,
          spacedLines.map((l) => expectedCef(l, true)),
        ),
        [],
      );
      t.same(
        await waitForLines(rsyslog.rawFile, lines.length, 1_000, 0),
        messages,
        'raw messages arrive byte for byte',
      );
    },
  );

  for (const version of ['1.0', '2.0'] as const) {
    t.test(
      `createLeefEncoder ${version} via rsyslog ${c.transport}, ${c.framing}: both strict parsers agree`,
      { skip },
      async (t) => {
        t.setTimeout(90_000);
        const material = c.transport === 'tls' ? await tlsMaterial() : undefined;
        const rsyslog = await startRsyslog(t, { transport: c.transport, keepTabs: true, ...material });
        const lines = events.map(createLeefEncoder({ version }));
        await sendSyslog(
          lines.map((l, i) => rfc5424(l, i)),
          { port: rsyslog.port, framing: c.framing, ca: material?.cert },
        );
        const received = (await waitForLines(rsyslog.rawFile, lines.length)).map(leefBody);
        t.same(received, lines, 'every record arrives once, byte for byte');
        const mine = received.map(parseLeef);
        t.same(
          mine.filter((r) => !r.ok),
          [],
          'the strict IBM-rules parser accepts every record',
        );
      },
    );
  }
}
