import fc from 'fast-check';
import t from 'tap';
import { createCefEncoder } from '../../lib/cef.js';
import { InvalidEventError, InvalidOptionError } from '../../lib/errors.js';
import type { ClientRecordEvent, SiemEvent } from '../../lib/events.js';
import { hostileStrings } from '../helpers/hostile-strings.js';
import { parseCef } from '../helpers/strict-cef-parser.js';

const T = 1717243200123; // 2024-06-01T12:00:00.123Z
const H = 'CEF:0|siemkit|siemkit|0.1.0|';

const golden: { name: string; event: SiemEvent; line: string }[] = [
  {
    name: 'Windows client record, every field',
    event: {
      kind: 'client-record',
      id: 'r-1',
      time: '2024-06-01T14:00:00.123+02:00',
      platform: 'windows',
      user: 'bob',
      secondaryUser: 'alice',
      client: 'ws01',
      domain: 'CORP',
      os: 'Windows 11',
      ipv4: '10.0.0.5',
      ipv6: 'fd00::5',
      remoteIp: '203.0.113.9',
      sessionPlayerUrl: 'https://ekran/p?s=1',
      title: 'Inbox',
      application: 'outlook.exe',
      url: 'https://mail/',
      keystrokes: 'hello',
      rule: 'USB block',
    },
    line:
      `${H}100|EkranClientEvent|3|rt=${T} externalId=r-1 suser=bob cs1=alice cs1Label=Secondary User shost=ws01 sntdom=CORP ` +
      'cs2=Windows 11 cs2Label=OS src=10.0.0.5 c6a2=fd00::5 c6a2Label=Source IPv6 Address cs3=203.0.113.9 cs3Label=Remote IP ' +
      'cs4=https://ekran/p?s\\=1 cs4Label=Session Player URL cs5=Inbox cs5Label=Window Title sproc=outlook.exe request=https://mail/ ' +
      'cs6=hello cs6Label=Keystrokes reason=USB block cat=ClientEvents',
  },
  {
    name: 'Linux client record',
    event: {
      kind: 'client-record',
      time: T,
      platform: 'linux',
      user: 'root',
      client: 'lnx1',
      command: 'sudo',
      function: 'execve',
      parameters: '-i',
      alert: 'sudo use',
    },
    line: `${H}100|EkranClientEvent|3|rt=${T} suser=root shost=lnx1 cs5=sudo cs5Label=Command flexString1=execve flexString1Label=Function cs6=-i cs6Label=Parameters reason=sudo use cat=ClientEvents`,
  },
  {
    name: 'macOS alert',
    event: {
      kind: 'alert',
      time: T,
      platform: 'macos',
      user: 'eve',
      client: 'mac1',
      title: 'Terminal',
      alertId: 42,
      alertName: 'Shell opened',
      alertDescription: 'A shell was opened',
    },
    line: `${H}200|EkranAlertEvent|7|rt=${T} suser=eve shost=mac1 cs5=Terminal cs5Label=Window Title flexString2=42 flexString2Label=Alert ID reason=Shell opened msg=A shell was opened cat=AlertEvents`,
  },
  {
    name: 'audit entry',
    event: {
      kind: 'audit',
      id: 7,
      time: T,
      user: 'admin',
      userGroups: ['Admins', 'Auditors'],
      category: 'Users',
      action: 'Create',
      object: 'user bob',
      details: 'granted View',
    },
    line: `${H}300|EkranMTLogEvent|10|rt=${T} externalId=7 suser=admin cs1=Admins, Auditors cs1Label=User Groups cs2=Users cs2Label=Category act=Create cs3=user bob cs3Label=Object msg=granted View cat=MTLogEvents`,
  },
  {
    name: 'client going offline carries addresses and domain',
    event: {
      kind: 'client-status',
      time: T,
      status: 'offline',
      client: 'ws01',
      os: 'Windows 11',
      ipv4: '10.0.0.5',
      ipv6: 'fd00::5',
      domain: 'corp.example.com',
    },
    line: `${H}400|EkranClientEvent|1|rt=${T} shost=ws01 cs2=Windows 11 cs2Label=OS src=10.0.0.5 c6a2=fd00::5 c6a2Label=Source IPv6 Address sntdom=corp.example.com act=offline cat=ClientEvents`,
  },
  {
    name: 'client coming online carries only name, OS and status (the page)',
    event: {
      kind: 'client-status',
      time: T,
      status: 'online',
      client: 'ws01',
      os: 'Windows 11',
      ipv4: '10.0.0.5',
      domain: 'corp',
    },
    line: `${H}400|EkranClientEvent|1|rt=${T} shost=ws01 cs2=Windows 11 cs2Label=OS act=online cat=ClientEvents`,
  },
];

t.test('golden lines per kind and platform', async (t) => {
  const cef = createCefEncoder();
  for (const g of golden) {
    t.equal(cef(g.event), g.line, g.name);
    t.doesNotThrow(() => parseCef(g.line), `${g.name} parses strictly`);
  }
});

t.test('header fields are escaped, and the page constants can be changed', async (t) => {
  const cef = createCefEncoder({
    vendor: 'Acme\\Corp',
    product: 'Audit|Lib',
    productVersion: '1.4.2',
    headers: { audit: { name: 'User login | admin console', severity: 7, classId: 'user.login' } },
  });
  const line = cef({ kind: 'audit', id: 1, time: T, user: 'bob', category: 'c', action: 'a' });
  t.ok(
    line.startsWith('CEF:0|Acme\\\\Corp|Audit\\|Lib|1.4.2|user.login|User login \\| admin console|7|rt='),
    line,
  );
  const parsed = parseCef(line);
  t.same(
    [parsed.vendor, parsed.product, parsed.name],
    ['Acme\\Corp', 'Audit|Lib', 'User login | admin console'],
  );
});

const base: ClientRecordEvent = {
  kind: 'client-record',
  time: T,
  platform: 'windows',
  user: 'u',
  client: 'c',
};

// Each hostile value goes into `user` (suser) and `title` (cs5); none may add a record or a field.
const injections: { name: string; value: string; expected: string }[] = [
  { name: 'CR', value: 'a\rb', expected: 'a\rb' },
  { name: 'LF', value: 'a\nb', expected: 'a\nb' },
  { name: 'CRLF', value: 'a\r\nb', expected: 'a\r\nb' },
  { name: 'pipe', value: 'a|b', expected: 'a|b' },
  { name: 'equals', value: 'a=b', expected: 'a=b' },
  { name: 'backslash', value: 'C:\\Users\\bob\\', expected: 'C:\\Users\\bob\\' },
  { name: 'TAB (a pair separator to LogScale)', value: 'a\tb', expected: 'a b' },
  { name: 'NUL', value: 'a\0b', expected: 'a b' },
  { name: 'U+2028', value: 'a\u2028b', expected: 'a b' },
  { name: 'NEL', value: 'a\u0085b', expected: 'a b' },
  {
    name: 'forged CEF record',
    value: 'x\nCEF:0|Evil|Corp|1|1|forged|10|suser=root',
    expected: 'x\nCEF:0|Evil|Corp|1|1|forged|10|suser=root',
  },
  {
    name: 'forged LEEF record',
    value: 'x\r\nLEEF:2.0|E|C|1|1|^|usrName=root',
    expected: 'x\r\nLEEF:2.0|E|C|1|1|^|usrName=root',
  },
  { name: 'injected pair', value: 'bob suser=admin act=allow', expected: 'bob suser=admin act=allow' },
  { name: 'escape then equals', value: 'a\\=b', expected: 'a\\=b' },
];

t.test('no value can create a record or a field', async (t) => {
  const cef = createCefEncoder();
  for (const c of injections) {
    const line = cef({ ...base, user: c.value, title: c.value });
    t.notMatch(line, /[\r\n\t\0\u2028\u0085]/, `${c.name}: no raw line break or control character`);
    const parsed = parseCef(line);
    t.same(
      Object.keys(parsed.extension),
      ['rt', 'suser', 'shost', 'cs5', 'cs5Label', 'cat'],
      `${c.name}: the same keys`,
    );
    t.equal(parsed.extension.suser, c.expected, `${c.name}: suser read back`);
    t.equal(parsed.extension.cs5, c.expected, `${c.name}: cs5 read back`);
  }
  t.equal(cef({ ...base, user: 'x\ty' }).includes('suser=x y '), true);
  t.ok(cef.stats.neutralised >= 4, 'control characters replaced are counted');
});

t.test(
  'values are cut to the dictionary limit in UTF-8 bytes, never inside an escape or a character',
  async (t) => {
    const cef = createCefEncoder();
    const cut = (id: string) => parseCef(cef({ ...base, id })).extension.externalId!;
    t.equal(cut('a'.repeat(41)), 'a'.repeat(40), 'externalId is 40 bytes at most');
    t.equal(cut(`${'a'.repeat(39)}\\`), 'a'.repeat(39), 'an escape that does not fit is left out whole');
    t.equal(cut('é'.repeat(30)), 'é'.repeat(20), 'two-byte characters: 20 fit in 40 bytes');
    t.equal(cut(`${'a'.repeat(38)}😀`), 'a'.repeat(38), 'a surrogate pair is never split');
    t.equal(cef.stats.truncated, 4, 'each cut is counted');
    const long = parseCef(cef({ ...base, title: 'x'.repeat(5000) })).extension.cs5!;
    t.equal(long.length, 4000, 'cs5 holds 4000 bytes');
  },
);

t.test('never an empty value, never a key twice', async (t) => {
  const cef = createCefEncoder();
  const line = cef({ ...base, domain: '', title: '' });
  t.notMatch(line, /sntdom=|cs5=/);
  const audit = cef({ kind: 'audit', id: 1, time: T, user: 'u', category: 'c', action: 'a', userGroups: [] });
  t.notMatch(audit, /cs1=/, 'an empty group list is left out');
});

t.test('the mapping can be changed, and a bad one is refused at creation', async (t) => {
  const cef = createCefEncoder({
    mapping: { 'client-record': { title: { key: 'msg' }, client: { key: 'dvchost' }, user: null } },
  });
  const parsed = parseCef(cef({ ...base, title: 'Inbox' })).extension;
  t.equal(parsed.msg, 'Inbox');
  t.equal(parsed.dvchost, 'c');
  t.notOk('suser' in parsed, 'a field mapped to null is left out');

  const bad: {
    name: string;
    options: Parameters<typeof createCefEncoder>[0];
    option: string;
    reason: RegExp;
  }[] = [
    {
      name: 'invalid key',
      options: { mapping: { audit: { action: { key: 'bad-key' } } } },
      option: 'mapping.audit.action',
      reason: /not a CEF key/,
    },
    {
      name: 'duplicate key',
      options: { mapping: { audit: { action: { key: 'suser' } } } },
      option: 'mapping.audit.action',
      reason: /already used by user/,
    },
    {
      name: 'slot without label',
      options: { mapping: { audit: { action: { key: 'cs4' } } } },
      option: 'mapping.audit.action',
      reason: /needs a label/,
    },
    {
      name: 'no time',
      options: { mapping: { audit: { time: null } } },
      option: 'mapping.audit.time',
      reason: /cannot be left out/,
    },
    {
      name: 'severity out of range',
      options: { headers: { alert: { severity: 11 } } },
      option: 'headers.alert.severity',
      reason: /0-10/,
    },
    { name: 'vendor too long', options: { vendor: 'v'.repeat(64) }, option: 'vendor', reason: /63 bytes/ },
  ];
  for (const b of bad) {
    try {
      createCefEncoder(b.options);
      t.fail(`${b.name}: should throw`);
    } catch (error) {
      t.ok(error instanceof InvalidOptionError, b.name);
      t.equal((error as InvalidOptionError).code, 'SIEMKIT_ERR_INVALID_OPTION');
      t.equal((error as InvalidOptionError).fields.option, b.option, `${b.name}: option`);
      t.match((error as InvalidOptionError).fields.reason, b.reason, `${b.name}: reason`);
    }
  }
});

t.test('invalid events throw InvalidEventError naming the field', async (t) => {
  const cef = createCefEncoder();
  const cases: { event: unknown; kind: string | undefined; field: string; reason: RegExp }[] = [
    { event: { ...base, kind: 'login' }, kind: undefined, field: 'kind', reason: /must be one of/ },
    { event: { ...base, user: undefined }, kind: 'client-record', field: 'user', reason: /required/ },
    {
      event: { ...base, user: 5 },
      kind: 'client-record',
      field: 'user',
      reason: /must be a string, got number 5/,
    },
    { event: { ...base, time: '2024-06-01 12:00' }, kind: 'client-record', field: 'time', reason: /offset/ },
    { event: { ...base, time: '2024-02-31T00:00:00Z' }, kind: 'client-record', field: 'time', reason: /./ },
    {
      event: { ...base, time: 1.5 },
      kind: 'client-record',
      field: 'time',
      reason: /whole epoch milliseconds/,
    },
    { event: { ...base, ipv4: '999.1.1.1' }, kind: 'client-record', field: 'ipv4', reason: /IPv4/ },
    {
      event: { ...base, platform: 'linux', title: 'x' },
      kind: 'client-record',
      field: 'title',
      reason: /not a field of linux clients/,
    },
    { event: { ...base, hacker: 'x' }, kind: 'client-record', field: 'hacker', reason: /unknown field/ },
    { event: 'CEF:0|', kind: undefined, field: '(event)', reason: /JSON object/ },
  ];
  for (const c of cases) {
    try {
      cef(c.event as SiemEvent);
      t.fail(`${c.field} should be refused`);
    } catch (error) {
      t.ok(error instanceof InvalidEventError);
      const e = error as InvalidEventError;
      t.equal(e.code, 'SIEMKIT_ERR_INVALID_EVENT');
      t.equal(e.fields.field, c.field);
      t.equal(e.fields.kind, c.kind);
      t.match(e.fields.reason, c.reason, c.field);
    }
  }
});

// The documented policy: CR/LF escaped, other controls and line separators to a space, lone surrogates
// to U+FFFD (what UTF-8 encoding writes).
const policy = (value: string) =>
  Buffer.from(value.replace(/[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]/g, ' ')).toString();

const unicodeValue = hostileStrings([
  '\\',
  '=',
  '|',
  '\n',
  '\r',
  '\t',
  '\0',
  '\u2028',
  ' ',
  'CEF:0|',
  ' suser=',
  'é',
  '😀',
  '\ud800',
]);

t.test('property: a strict parser reads back exactly the values that went in', async (t) => {
  const cef = createCefEncoder();
  fc.assert(
    fc.property(unicodeValue, unicodeValue, unicodeValue, (user, title, keystrokes) => {
      const event: ClientRecordEvent = { ...base, user, title, keystrokes, client: 'ws01' };
      const line = Buffer.from(cef(event)).toString();
      if (/[\r\n]/.test(line)) return false;
      const ext = parseCef(line).extension;
      const expect = (v: string) => (v === '' ? undefined : policy(v));
      return (
        ext.suser === expect(user) &&
        ext.cs5 === expect(title) &&
        ext.cs6 === expect(keystrokes) &&
        ext.cat === 'ClientEvents'
      );
    }),
    { numRuns: 2000, seed: 42 },
  );
  t.pass('2000 runs');
});

t.test('property: arbitrary input only ever throws siemkit errors', async (t) => {
  const cef = createCefEncoder();
  fc.assert(
    fc.property(
      fc.object({ maxDepth: 1 }),
      fc.constantFrom('client-record', 'alert', 'audit', 'client-status', 'x'),
      (obj, kind) => {
        try {
          cef({ ...obj, kind } as unknown as SiemEvent);
        } catch (error) {
          return error instanceof InvalidEventError;
        }
        return true;
      },
    ),
    { numRuns: 1000, seed: 7 },
  );
  t.pass('1000 runs');
});

t.test('date formats', async (t) => {
  const cases: { dateFormat: string; timeZone: string; rt: string }[] = [
    { dateFormat: 'epoch-ms', timeZone: 'UTC', rt: String(T) },
    { dateFormat: 'cef', timeZone: 'UTC', rt: 'Jun 01 2024 12:00:00.123 UTC' },
    { dateFormat: 'cef', timeZone: 'Europe/Berlin', rt: 'Jun 01 2024 14:00:00.123 GMT+02:00' },
    { dateFormat: 'iso8601', timeZone: 'UTC', rt: '2024-06-01T12:00:00.123Z' },
    { dateFormat: 'iso8601', timeZone: 'America/New_York', rt: '2024-06-01T08:00:00.123-04:00' },
    { dateFormat: "dd.MM.yyyy 'at' HH:mm", timeZone: 'Asia/Kolkata', rt: '01.06.2024 at 17:30' },
  ];
  for (const c of cases) {
    const cef = createCefEncoder({ dateFormat: c.dateFormat, timeZone: c.timeZone });
    t.equal(parseCef(cef({ ...base })).extension.rt, c.rt, `${c.dateFormat} in ${c.timeZone}`);
  }
});
