import t from 'tap';
import { createDateFormatter, dateFormatProblem, toJavaDatePattern } from '../../lib/dates.js';
import { isHostName, isIPv4, isIPv6 } from '../../lib/net-address.js';

t.test('luxon patterns translate to Java SimpleDateFormat, or say why not', async (t) => {
  t.same(toJavaDatePattern("yyyy-MM-dd'T'HH:mm:ss.SSSZZ"), { pattern: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" });
  t.same(toJavaDatePattern('EEE, dd MMM yyyy hh:mm a ZZZZ'), { pattern: 'EEE, dd MMM yyyy hh:mm a z' });
  t.same(toJavaDatePattern('LL/dd ooo'), { pattern: 'MM/dd DDD' });
  t.same(toJavaDatePattern('yyyy z'), { reason: 'luxon token "z" has no Java SimpleDateFormat equivalent' });
  t.same(toJavaDatePattern('DDD'), { reason: 'luxon token "DDD" has no Java SimpleDateFormat equivalent' });
  t.same(toJavaDatePattern("yyyy 'open"), { reason: 'unterminated quote at position 5' });
});

t.test('date format problems', async (t) => {
  t.equal(dateFormatProblem('epoch-ms', true), undefined);
  t.equal(dateFormatProblem('', false), 'must be a preset (epoch-ms, cef, iso8601) or a luxon pattern');
  t.equal(dateFormatProblem('bbb', false), '"bbb" contains no luxon date tokens');
  t.equal(dateFormatProblem('yyyy z', false), undefined, 'CEF takes any luxon pattern');
  t.match(dateFormatProblem('yyyy z', true), /cannot be used with LEEF/);
  t.throws(() => createDateFormatter('epoch-ms', 'Mars/Base'), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
    fields: { option: 'timeZone' },
  });
});

t.test('presets in a zone with DST, English month names whatever the locale', async (t) => {
  const cef = createDateFormatter('cef', 'America/New_York');
  t.equal(cef.format(Date.UTC(2024, 0, 15, 12, 0, 0, 5)), 'Jan 15 2024 07:00:00.005 GMT-05:00');
  t.equal(cef.format(Date.UTC(2024, 6, 15, 12, 0, 0, 5)), 'Jul 15 2024 08:00:00.005 GMT-04:00');
  t.equal(createDateFormatter('iso8601', 'Asia/Kolkata').format(0), '1970-01-01T05:30:00.000+05:30');
  t.equal(createDateFormatter('MMMM d', 'UTC').format(Date.UTC(2024, 2, 3)), 'March 3');
});

t.test('addresses', async (t) => {
  for (const ok of ['0.0.0.0', '255.255.255.255', '10.0.0.1']) t.ok(isIPv4(ok), ok);
  for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4 ']) t.notOk(isIPv4(bad), bad);
  for (const ok of [
    '::',
    '::1',
    'fe80::1',
    '2001:db8:0:0:0:0:2:1',
    '::ffff:192.0.2.1',
    '1:2:3:4:5:6:1.2.3.4',
  ])
    t.ok(isIPv6(ok), ok);
  for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '1.2.3.4', '::ffff:999.0.0.1', '1:2:3:4:5:6:7'])
    t.notOk(isIPv6(bad), bad);
  for (const ok of ['localhost', 'siem.example.com', 'a-b.c']) t.ok(isHostName(ok), ok);
  for (const bad of ['-a.com', 'a..b', 'a b', 'x'.repeat(64)]) t.notOk(isHostName(bad), bad);
});
