import t from 'tap';
import { leefBody, parseLeef } from './leef-parser.js';

interface Good {
  line: string;
  delimiter: string;
  attributes: Record<string, string>;
}
// IBM's own layouts (wire-formats §2.6) and each way of writing the 2.0 delimiter.
const GOOD: readonly Good[] = [
  {
    line: 'LEEF:1.0|Acme|AuditLib|1.4.2|user.login|devTime=1717243200123\tusrName=bob\tsev=5',
    delimiter: '\t',
    attributes: { devTime: '1717243200123', usrName: 'bob', sev: '5' },
  },
  {
    line: 'LEEF:2.0|Acme|AuditLib|1.4.2|user.login|^|usrName=bob^sev=5',
    delimiter: '^',
    attributes: { usrName: 'bob', sev: '5' },
  },
  {
    line: 'LEEF:2.0|Acme|AuditLib|1.4.2|user.login|x5E|usrName=bob^sev=5',
    delimiter: '^',
    attributes: { usrName: 'bob', sev: '5' },
  },
  {
    line: 'LEEF:2.0|Acme|AuditLib|1.4.2|user.login|0x09|usrName=bob\tsev=5',
    delimiter: '\t',
    attributes: { usrName: 'bob', sev: '5' },
  },
  {
    line: 'LEEF:2.0|Acme|AuditLib|1.4.2|user.login|x7C|a=1|b=2',
    delimiter: '|',
    attributes: { a: '1', b: '2' },
  },
  {
    line: 'LEEF:2.0|Acme|AuditLib|1.4.2|user.login|usrName=bob\tsev=5',
    delimiter: '\t',
    attributes: { usrName: 'bob', sev: '5' },
  },
  {
    line: 'LEEF:1.0|Acme|AuditLib|1.4.2|user.login|msg=a=b|c\turl=x?y=z',
    delimiter: '\t',
    attributes: { msg: 'a=b|c', url: 'x?y=z' },
  },
  { line: 'LEEF:1.0|Acme|AuditLib|1.4.2|user.login|', delimiter: '\t', attributes: {} },
  {
    line: 'LEEF:2.0|Acme|AuditLib|1.4.2|user.login|^|empty=^k=é漢😀',
    delimiter: '^',
    attributes: { empty: '', k: 'é漢😀' },
  },
];

for (const g of GOOD) {
  t.test(`accepts ${JSON.stringify(g.line)}`, async (t) => {
    const result = parseLeef(g.line);
    if (!result.ok) return t.fail(result.reason);
    t.equal(result.record.delimiter, g.delimiter);
    t.same(result.record.attributes, g.attributes);
    t.same(
      [result.record.vendor, result.record.product, result.record.productVersion, result.record.eventId],
      ['Acme', 'AuditLib', '1.4.2', 'user.login'],
    );
  });
}

const BAD: readonly [string, RegExp][] = [
  ['CEF:0|Acme|AuditLib|1|x|n|5|', /does not start/],
  ['LEEF:3.0|Acme|AuditLib|1|x|a=1', /unsupported LEEF version/],
  ['LEEF:1|Acme|AuditLib|1|x|a=1', /unsupported LEEF version/],
  ['LEEF:1.0|Acme|AuditLib|1|a=1', /fewer than 5 header fields/],
  ['LEEF:1.0||AuditLib|1|x|a=1', /empty header field Vendor/],
  ['LEEF:1.0|Acme|AuditLib|1||a=1', /empty header field EventID/],
  [`LEEF:1.0|Acme|AuditLib|1|${'e'.repeat(256)}|a=1`, /EventID longer/],
  ['LEEF:1.0|Acme|AuditLib|1|x|a=1\tb=2\ta=3', /appears more than once/],
  ['LEEF:1.0|Acme|AuditLib|1|x|a=1\tnovalue', /without "="/],
  ['LEEF:1.0|Acme|AuditLib|1|x|a=1\t=2', /not alphanumeric/],
  ['LEEF:1.0|Acme|AuditLib|1|x|a=1\tsuser name=2', /not alphanumeric/],
  ['LEEF:1.0|Acme|AuditLib|1|x|a=1\t', /without "="/],
  ['LEEF:1.0|Acme|AuditLib|1|x|a=1\nLEEF:1.0|Evil|X|1|y|b=2', /single line/],
  ['LEEF:1.0|Acme|AuditLib|1|x|a=1\r', /single line/],
  ['LEEF:2.0|Acme|AuditLib|1|x||a=1', /empty delimiter field/],
  ['LEEF:2.0|Acme|AuditLib|1|x|xZZ|a=1', /malformed hex delimiter/],
  ['LEEF:2.0|Acme|AuditLib|1|x|x12345|a=1', /malformed hex delimiter/],
  ['LEEF:2.0|Acme|AuditLib|1|x|=|a=1', /cannot be the delimiter/],
  ['LEEF:2.0|Acme|AuditLib|1|x|^|a=1^b', /without "="/],
];

for (const [line, reason] of BAD) {
  t.test(`rejects ${JSON.stringify(line.slice(0, 60))}`, async (t) => {
    const result = parseLeef(line);
    t.equal(result.ok, false);
    if (!result.ok) t.match(result.reason, reason);
  });
}

t.test('leefBody finds the record after a syslog header, not a forged one inside a value', async (t) => {
  t.equal(
    leefBody('<110>1 2024-06-01T12:00:00Z host app - - - LEEF:2.0|A|B|1|x|^|m=LEEF:1.0|E'),
    'LEEF:2.0|A|B|1|x|^|m=LEEF:1.0|E',
  );
  t.equal(leefBody('LEEF:1.0|A|B|1|x|m= LEEF:2.0'), 'LEEF:1.0|A|B|1|x|m= LEEF:2.0');
});
