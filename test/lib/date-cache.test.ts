import t from 'tap';
import { createDateFormatter, toJavaDatePattern } from '../../lib/dates.js';
import { seededRandom } from '../../lib/simulated-events.js';

t.test('epoch-ms text is exactly String(ms), cached second or not', async (t) => {
  const format = createDateFormatter('epoch-ms').format;
  const random = seededRandom(5);
  const values = [
    0,
    -0,
    1,
    999,
    1000,
    1001,
    -1,
    -1500,
    1.5,
    1e21,
    Number.MAX_SAFE_INTEGER,
    253_402_300_799_999,
  ];
  let ms = 1_767_603_600_000;
  for (let i = 0; i < 5000; i++) values.push((ms += Math.floor(random() * 400)), ms, ms - 1000);
  t.equal(values.filter((v) => format(v) !== String(v)).length, 0);
});

t.test('presets and patterns, same millisecond twice', async (t) => {
  const ms = Date.UTC(2026, 0, 5, 9, 0, 0, 7);
  const cases: readonly [string, string, string][] = [
    ['cef', 'UTC', 'Jan 05 2026 09:00:00.007 UTC'],
    ['cef', 'Europe/Paris', 'Jan 05 2026 10:00:00.007 GMT+01:00'],
    ['iso8601', 'UTC', '2026-01-05T09:00:00.007Z'],
    ['iso8601', 'America/New_York', '2026-01-05T04:00:00.007-05:00'],
    ['yyyy-MM-dd HH:mm', 'Asia/Kolkata', '2026-01-05 14:30'],
  ];
  for (const [pattern, zone, text] of cases) {
    const dates = createDateFormatter(pattern, zone);
    t.equal(dates.format(ms), text, `${pattern} ${zone}`);
    t.equal(dates.format(ms), text, `${pattern} ${zone} again`);
    t.not(dates.format(ms + 3_600_000), text);
  }
  t.throws(() => createDateFormatter('epoch-ms', 'Mars/Olympus'), { code: 'SIEMKIT_ERR_INVALID_OPTION' });
  t.same(toJavaDatePattern("yyyy-MM-dd'T'HH:mm"), { pattern: "yyyy-MM-dd'T'HH:mm" });
  t.match(toJavaDatePattern('z'), { reason: /no Java/ });
  t.match(toJavaDatePattern("'open"), { reason: /unterminated/ });
});
