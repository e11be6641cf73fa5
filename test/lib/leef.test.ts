import fc from 'fast-check';
import t from 'tap';
import type { InvalidOptionError } from '../../lib/errors.js';
import type { ClientRecordEvent, SiemEvent } from '../../lib/events.js';
import { createLeefEncoder, leefDelimiterChar } from '../../lib/leef.js';
import { hostileStrings } from '../helpers/hostile-strings.js';
import { parseLeefOrThrow as parseLeef } from '../helpers/leef-parser.js';

const T = 1717243200123;
const base: ClientRecordEvent = {
  kind: 'client-record',
  time: T,
  platform: 'windows',
  user: 'u',
  client: 'c',
};

t.test('golden lines, LEEF 1.0 and 2.0', async (t) => {
  const event: SiemEvent = {
    kind: 'audit',
    id: 7,
    time: T,
    user: 'admin',
    userGroups: ['Admins'],
    category: 'Users',
    action: 'Create',
    details: 'granted',
  };
  t.equal(
    createLeefEncoder({ version: '1.0' })(event),
    `LEEF:1.0|siemkit|siemkit|0.1.0|300|cat=MTLogEvents\tsev=10\tdevTime=${T}\texternalId=7\tusrName=admin\tuserGroups=Admins\tauditCategory=Users\taction=Create\tdetails=granted`,
  );
  t.equal(
    createLeefEncoder({ version: '2.0' })(event),
    `LEEF:2.0|siemkit|siemkit|0.1.0|300|^|cat=MTLogEvents^sev=10^devTime=${T}^externalId=7^usrName=admin^userGroups=Admins^auditCategory=Users^action=Create^details=granted`,
  );
  t.equal(
    createLeefEncoder({ version: '2.0', delimiter: 'x23' })({ ...base }),
    `LEEF:2.0|siemkit|siemkit|0.1.0|100|x23|cat=ClientEvents#sev=3#devTime=${T}#usrName=u#clientName=c`,
    'a hex delimiter is written as given and used as its character',
  );
});

t.test('online and offline events carry the page fields; IPv6 only without IPv4', async (t) => {
  const leef = createLeefEncoder();
  const status = { kind: 'client-status', time: T, client: 'ws1', os: 'Win', domain: 'corp' } as const;
  const attrs = (e: SiemEvent) => parseLeef(leef(e)).attributes;
  t.same(attrs({ ...status, status: 'online', ipv4: '10.0.0.1' }), {
    cat: 'ClientEvents',
    sev: '1',
    devTime: String(T),
    clientName: 'ws1',
    status: 'online',
  });
  t.same(attrs({ ...status, status: 'offline', ipv4: '10.0.0.1', ipv6: 'fd00::1' }), {
    cat: 'ClientEvents',
    sev: '1',
    devTime: String(T),
    clientName: 'ws1',
    src: '10.0.0.1',
    status: 'offline',
  });
  t.equal(
    attrs({ ...status, status: 'offline', ipv6: 'fd00::1' }).src,
    'fd00::1',
    'IPv6 when there is no IPv4',
  );
  const session = attrs({ ...base, ipv4: '10.0.0.1', ipv6: 'fd00::1' });
  t.equal(session.src, '10.0.0.1');
  t.equal(session.srcIPv6, 'fd00::1', 'session records keep both');
  t.equal(attrs({ ...base, ipv6: 'fd00::1' }).src, 'fd00::1');
});

const injections: { name: string; value: string; v1: string; v2: string }[] = [
  { name: 'TAB', value: 'a\tb', v1: 'a b', v2: 'a b' },
  { name: 'caret', value: 'a^b', v1: 'a^b', v2: 'a b' },
  { name: 'CR LF', value: 'a\r\nb', v1: 'a  b', v2: 'a  b' },
  { name: 'NUL', value: 'a\0b', v1: 'a b', v2: 'a b' },
  { name: 'U+2028', value: 'a\u2028b', v1: 'a b', v2: 'a b' },
  { name: 'pipe and equals stay', value: 'a|b=c', v1: 'a|b=c', v2: 'a|b=c' },
  {
    name: 'forged record',
    value: 'x\nLEEF:2.0|E|C|1|1|^|usrName=root',
    v1: 'x LEEF:2.0|E|C|1|1|^|usrName=root',
    v2: 'x LEEF:2.0|E|C|1|1| |usrName=root',
  },
  { name: 'forged pair', value: 'bob\tusrName=admin', v1: 'bob usrName=admin', v2: 'bob usrName=admin' },
];

t.test('no value can create a record or an attribute', async (t) => {
  for (const version of ['1.0', '2.0'] as const) {
    const leef = createLeefEncoder({ version });
    for (const c of injections) {
      const line = leef({ ...base, user: c.value, title: c.value });
      t.notMatch(line, /[\r\n\0\u2028]/, `${version} ${c.name}: no raw break`);
      const parsed = parseLeef(line);
      t.same(
        Object.keys(parsed.attributes),
        ['cat', 'sev', 'devTime', 'usrName', 'clientName', 'windowTitle'],
        `${version} ${c.name}: same keys`,
      );
      t.equal(parsed.attributes.usrName, version === '1.0' ? c.v1 : c.v2, `${version} ${c.name}: value`);
    }
    t.ok(leef.stats.neutralised > 0, 'replacements are counted');
  }
});

t.test('devTimeFormat is written whenever devTime is not an epoch', async (t) => {
  const cases: {
    dateFormat: string;
    timeZone: string;
    devTime: string;
    devTimeFormat: string | undefined;
  }[] = [
    { dateFormat: 'epoch-ms', timeZone: 'UTC', devTime: String(T), devTimeFormat: undefined },
    {
      dateFormat: 'cef',
      timeZone: 'UTC',
      devTime: 'Jun 01 2024 12:00:00.123 UTC',
      devTimeFormat: 'MMM dd yyyy HH:mm:ss.SSS z',
    },
    {
      dateFormat: 'iso8601',
      timeZone: 'Europe/Berlin',
      devTime: '2024-06-01T14:00:00.123+02:00',
      devTimeFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    },
    {
      dateFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSZZZ",
      timeZone: 'Europe/Berlin',
      devTime: '2024-06-01T14:00:00.123+0200',
      devTimeFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
    },
    {
      dateFormat: 'MMM dd yyyy HH:mm:ss',
      timeZone: 'UTC',
      devTime: 'Jun 01 2024 12:00:00',
      devTimeFormat: 'MMM dd yyyy HH:mm:ss',
    },
  ];
  for (const c of cases) {
    const attrs = parseLeef(
      createLeefEncoder({ dateFormat: c.dateFormat, timeZone: c.timeZone })({ ...base }),
    ).attributes;
    t.equal(attrs.devTime, c.devTime, c.dateFormat);
    t.equal(attrs.devTimeFormat, c.devTimeFormat, `${c.dateFormat} devTimeFormat`);
  }
});

t.test('bad options are refused at creation', async (t) => {
  const bad: { options: Parameters<typeof createLeefEncoder>[0]; option: string; reason: RegExp }[] = [
    { options: { vendor: 'A|B' }, option: 'vendor', reason: /must not contain "\|"/ },
    { options: { delimiter: '|' }, option: 'delimiter', reason: /other than \|/ },
    { options: { delimiter: '^^' }, option: 'delimiter', reason: /one character/ },
    {
      options: { dateFormat: 'yyyy z' },
      option: 'dateFormat',
      reason: /no Java SimpleDateFormat equivalent/,
    },
    { options: { headers: { audit: { severity: 0 } } }, option: 'headers.audit.severity', reason: /1-10/ },
    {
      options: { headers: { audit: { classId: 'x'.repeat(256) } } },
      option: 'headers.audit.classId',
      reason: /255 bytes/,
    },
    {
      options: { mapping: { audit: { action: { key: 'sev' } } } },
      option: 'mapping.audit.action',
      reason: /written by the encoder/,
    },
  ];
  for (const b of bad) {
    try {
      createLeefEncoder(b.options);
      t.fail(`${b.option} should throw`);
    } catch (error) {
      t.equal((error as InvalidOptionError).code, 'SIEMKIT_ERR_INVALID_OPTION', b.option);
      t.equal((error as InvalidOptionError).fields.option, b.option);
      t.match((error as InvalidOptionError).fields.reason, b.reason);
    }
  }
  t.equal(leefDelimiterChar('0x09'), '\t');
  t.equal(leefDelimiterChar('x5E'), '^');
});

t.test(
  'property: a strict LEEF parser reads back every value, neutralised by the documented policy',
  async (t) => {
    const value = hostileStrings([
      '^',
      '\t',
      '|',
      '=',
      '\n',
      '\r',
      '\0',
      '\u2028',
      ' ',
      'LEEF:2.0|',
      'é',
      '😀',
    ]);
    for (const version of ['1.0', '2.0'] as const) {
      const leef = createLeefEncoder({ version });
      const delimiter = version === '1.0' ? '\t' : '^';
      const policy = (v: string) =>
        Buffer.from(
          v
            .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, ' ')
            .split(delimiter)
            .join(' '),
        ).toString();
      fc.assert(
        fc.property(value, value, (user, title) => {
          const attrs = parseLeef(Buffer.from(leef({ ...base, user, title })).toString()).attributes;
          return (
            attrs.usrName === (user === '' ? undefined : policy(user)) &&
            attrs.windowTitle === (title === '' ? undefined : policy(title))
          );
        }),
        { numRuns: 1500, seed: 11 },
      );
    }
    t.pass('3000 runs');
  },
);
