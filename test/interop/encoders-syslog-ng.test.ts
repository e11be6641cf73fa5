// The real encoders through syslog-ng with the framing each source demands: every record arrives
// byte for byte, and the CEF records still parse back (via lognormalizer) to what the line holds.
import t from 'tap';
import { createCefEncoder } from '../../lib/cef.js';
import { createLeefEncoder } from '../../lib/leef.js';
import { adversarialCorpus } from '../helpers/adversarial-corpus.js';
import { expectedCef, withExtensionSpace } from '../helpers/cef-expectations.js';
import {
  CEF_RULEBASE,
  lognormalize,
  skipUnlessInstalled,
  startSyslogNg,
  waitForLines,
} from '../helpers/receivers.js';
import { diffRecords } from '../helpers/record-diff.js';
import { type Framing, rfc5424, sendSyslog } from '../helpers/syslog-send.js';

const skip = skipUnlessInstalled('syslog-ng', 'lognormalizer');
const events = adversarialCorpus(0x5e9, 120);
const cefLines = events.map(createCefEncoder());
const leefLines = events.map(createLeefEncoder({ version: '2.0' }));

const CASES: readonly { source: 'syslog' | 'network'; framing: Framing }[] = [
  { source: 'syslog', framing: 'octet-counting' },
  { source: 'network', framing: 'lf' },
];

for (const c of CASES) {
  t.test(
    `createCefEncoder (+space) and createLeefEncoder via syslog-ng ${c.source}(), ${c.framing}`,
    { skip },
    async (t) => {
      t.setTimeout(60_000);
      const cef = await startSyslogNg(t, { source: c.source });
      const spaced = cefLines.map(withExtensionSpace);
      await sendSyslog(
        spaced.map((l, i) => rfc5424(l, i)),
        { port: cef.port, framing: c.framing },
      );
      t.same(
        await waitForLines(cef.messagesFile, spaced.length),
        spaced,
        'CEF records arrive once, byte for byte',
      );
      t.same(
        diffRecords(
          await lognormalize(cef.messagesFile, CEF_RULEBASE),
          cefLines.map((l) => expectedCef(l)),
        ),
        [],
      );

      const leef = await startSyslogNg(t, { source: c.source });
      await sendSyslog(
        leefLines.map((l, i) => rfc5424(l, i)),
        { port: leef.port, framing: c.framing },
      );
      t.same(
        await waitForLines(leef.messagesFile, leefLines.length),
        leefLines,
        'LEEF records arrive once, byte for byte',
      );
    },
  );
}
