import t from 'tap';
import { InvalidOptionError } from '../../lib/errors.js';
import { CEF_TO_SYSLOG_SEVERITY, createSyslogHeader, toSyslogSeverity } from '../../lib/syslog-header.js';

// The composed RFC 5424 example of wire-formats.md 3.1: 270 octets, PRI 86 = authpriv(10) x 8 + info(6).
const SPEC_RECORD =
  'CEF:0|Acme|AuditLib|1.4.2|user.login|User login \\| admin console|7|rt=1717243200123 suser=bob|admin\\=true\\nCEF:0|Evil|Corp|1|1|forged|10| src=203.0.113.7 outcome=success msg=path C:\\\\Users\\\\bob';
const SPEC_EPOCH_MS = Date.UTC(2024, 5, 1, 12, 0, 0, 123);

t.test('rfc5424 reproduces the spec example byte for byte', async (t) => {
  const header = createSyslogHeader({
    style: 'rfc5424',
    facility: 10,
    hostname: 'host01.example.com',
    appName: 'auditlib',
    procId: 4711,
    msgId: 'user.login',
  });
  // CEF severity 2 maps to informational (6), the severity of the example.
  const message = header(SPEC_RECORD, SPEC_EPOCH_MS, 2);
  t.equal(
    message,
    `<86>1 2024-06-01T12:00:00.123Z host01.example.com auditlib 4711 user.login - ${SPEC_RECORD}`,
  );
  t.equal(Buffer.byteLength(message), 270);
});

t.test('rfc5424 BOM is opt-in and adds 3 octets', async (t) => {
  const options = { hostname: 'host01.example.com', appName: 'auditlib', procId: 4711, msgId: 'user.login' };
  const withBom = createSyslogHeader({ ...options, bom: true })(SPEC_RECORD, SPEC_EPOCH_MS, 2);
  t.equal(Buffer.byteLength(withBom), 273);
  const bytes = Buffer.from(withBom);
  const cef = bytes.indexOf('CEF:0|Acme');
  t.same(
    [...bytes.subarray(cef - 4, cef)],
    [0x20, 0xef, 0xbb, 0xbf],
    'SD "-", SP, then the BOM right before MSG',
  );
  t.notOk(createSyslogHeader(options)(SPEC_RECORD, SPEC_EPOCH_MS, 2).includes('\uFEFF'));
});

t.test('rfc5424 fields: "-" for empty, PRINTUSASCII only, length limits', async (t) => {
  const header = createSyslogHeader({
    hostname: `h ö${'x'.repeat(300)}`,
    appName: 'a'.repeat(60),
    procId: null,
    msgId: '',
  });
  const out = header('R', 0, 0);
  const [pri, time, host, app, proc, msgid, sd, record] = out.split(' ');
  t.equal(pri, '<86>1');
  t.equal(time, '1970-01-01T00:00:00.000Z');
  t.equal(host!.length, 255);
  t.match(host!, /^h__x+$/);
  t.equal(app, 'a'.repeat(48));
  t.equal(proc, '-');
  t.equal(msgid, '-');
  t.equal(sd, '-');
  t.equal(record, 'R');
  t.equal(createSyslogHeader({})('R', 0, 0), '<86>1 1970-01-01T00:00:00.000Z - siemkit - - - R');
});

t.test('timestamp cache: milliseconds and second changes are exact', async (t) => {
  const header = createSyslogHeader({ hostname: 'h' });
  const times = [
    Date.UTC(2024, 0, 31, 23, 59, 59, 999),
    Date.UTC(2024, 1, 1, 0, 0, 0, 0),
    Date.UTC(2024, 1, 1, 0, 0, 0, 7),
  ];
  for (const ms of times) t.equal(header('x', ms, 5).split(' ')[1], new Date(ms).toISOString());
  t.equal(header('x', Date.UTC(2024, 1, 1, 0, 0, 0, 45), 5).split(' ')[1], '2024-02-01T00:00:00.045Z');
});

t.test('severity table: PRI per CEF severity, clamped, never emerg or alert', async (t) => {
  const header = createSyslogHeader({ facility: 16 }); // local0
  const expected = [134, 134, 134, 134, 133, 133, 133, 132, 132, 131, 130];
  for (const [cef, pri] of expected.entries())
    t.ok(header('x', 0, cef).startsWith(`<${pri}>1 `), `cef ${cef}`);
  t.ok(header('x', 0, 42).startsWith('<130>'));
  t.ok(header('x', 0, -3).startsWith('<134>'));
  t.ok(header('x', 0, Number.NaN).startsWith('<134>'));
  t.equal(toSyslogSeverity(10), 2);
  t.equal(toSyslogSeverity(7.9), 4);
  t.ok(CEF_TO_SYSLOG_SEVERITY.every((s) => s >= 2 && s <= 7));
  t.ok(createSyslogHeader({ facility: 0 })('x', 0, 10).startsWith('<2>1 '));
  t.ok(createSyslogHeader({ facility: 23 })('x', 0, 0).startsWith('<190>1 '));
});

t.test('rfc3164: English month, space-padded day, short hostname, TAG rules', async (t) => {
  const header = createSyslogHeader({ style: 'rfc3164', hostname: 'host01.example.com', appName: 'siemkit' });
  t.equal(
    header('CEF:0|x', Date.UTC(2024, 5, 1, 9, 5, 3, 999), 7),
    '<84>Jun  1 09:05:03 host01 siemkit: CEF:0|x',
  );
  t.equal(header('m', Date.UTC(2024, 11, 24, 23, 0, 0), 0), '<86>Dec 24 23:00:00 host01 siemkit: m');
  const withPid = createSyslogHeader({
    style: 'rfc3164',
    hostname: '192.0.2.7',
    appName: 'my app:x'.repeat(6),
    procId: 42,
  });
  t.equal(withPid('m', 0, 0), `<86>Jan  1 00:00:00 192.0.2.7 ${'my_app_x'.repeat(4)}[42]: m`);
  const months = Array.from({ length: 12 }, (_, m) => header('', Date.UTC(2023, m, 15), 0).slice(4, 7));
  t.same(months, ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
});

t.test('none passes the record through; bad options throw at creation', async (t) => {
  t.equal(createSyslogHeader({ style: 'none' })('CEF:0|a', 0, 3), 'CEF:0|a');
  t.throws(() => createSyslogHeader({ facility: 24 }), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
    fields: { option: 'facility' },
  });
  t.throws(() => createSyslogHeader({ style: 'rfc9999' as never }), InvalidOptionError);
});
