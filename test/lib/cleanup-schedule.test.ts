import t from 'tap';
import { cleanupStamp, createCleanupSchedule, nextCleanup } from '../../lib/cleanup-schedule.js';

interface Case {
  name: string;
  zone: string;
  at: string | null;
  every: string | null;
  from: string;
  /** The next occurrences, each as UTC ISO and the local stamp. */
  expect: [string, string][];
}

const cases: Case[] = [
  {
    name: 'Berlin spring-forward: 02:30 does not exist, cleanup once at 03:00 CEST',
    zone: 'Europe/Berlin',
    at: '02:30',
    every: '1d',
    from: '2026-03-27T12:00:00Z',
    expect: [
      ['2026-03-28T01:30:00.000Z', '2026-03-28_02-30-00'],
      ['2026-03-29T01:00:00.000Z', '2026-03-29_03-00-00'],
      ['2026-03-30T00:30:00.000Z', '2026-03-30_02-30-00'],
    ],
  },
  {
    name: 'Berlin fall-back: 02:30 happens twice, cleanup once at the first',
    zone: 'Europe/Berlin',
    at: '02:30',
    every: '1d',
    from: '2026-10-24T12:00:00Z',
    expect: [
      ['2026-10-25T00:30:00.000Z', '2026-10-25_02-30-00'],
      ['2026-10-26T01:30:00.000Z', '2026-10-26_02-30-00'],
    ],
  },
  {
    name: 'New York fall-back, every hour at :30: 01:30 once',
    zone: 'America/New_York',
    at: '00:30',
    every: '1h',
    from: '2026-11-01T04:00:00Z',
    expect: [
      ['2026-11-01T04:30:00.000Z', '2026-11-01_00-30-00'],
      ['2026-11-01T05:30:00.000Z', '2026-11-01_01-30-00'],
      ['2026-11-01T07:30:00.000Z', '2026-11-01_02-30-00'],
      ['2026-11-01T08:30:00.000Z', '2026-11-01_03-30-00'],
    ],
  },
  {
    name: 'New York spring-forward, every hour: 02:00 and 03:00 collapse into one cleanup',
    zone: 'America/New_York',
    at: null,
    every: '1h',
    from: '2026-03-08T05:30:00Z',
    expect: [
      ['2026-03-08T06:00:00.000Z', '2026-03-08_01-00-00'],
      ['2026-03-08T07:00:00.000Z', '2026-03-08_03-00-00'],
      ['2026-03-08T08:00:00.000Z', '2026-03-08_04-00-00'],
    ],
  },
  {
    name: '5h grid anchored at 14:00 restarts each day',
    zone: 'UTC',
    at: '14:00',
    every: '5h',
    from: '2026-01-01T15:00:00Z',
    expect: [
      ['2026-01-01T19:00:00.000Z', '2026-01-01_19-00-00'],
      ['2026-01-02T04:00:00.000Z', '2026-01-02_04-00-00'],
      ['2026-01-02T09:00:00.000Z', '2026-01-02_09-00-00'],
    ],
  },
  {
    name: 'every 2d alone anchors at 00:00 on even day numbers',
    zone: 'UTC',
    at: null,
    every: '2d',
    from: '2026-01-01T00:00:00Z',
    expect: [
      ['2026-01-03T00:00:00.000Z', '2026-01-03_00-00-00'],
      ['2026-01-05T00:00:00.000Z', '2026-01-05_00-00-00'],
    ],
  },
  {
    name: 'daily alone, Tokyo',
    zone: 'Asia/Tokyo',
    at: '09:15',
    every: null,
    from: '2026-06-01T00:15:00Z',
    expect: [
      ['2026-06-02T00:15:00.000Z', '2026-06-02_09-15-00'],
      ['2026-06-03T00:15:00.000Z', '2026-06-03_09-15-00'],
    ],
  },
  {
    name: '48h is read as 2d',
    zone: 'UTC',
    at: '06:00',
    every: '48h',
    from: '2026-01-01T00:00:00Z',
    expect: [
      ['2026-01-01T06:00:00.000Z', '2026-01-01_06-00-00'],
      ['2026-01-03T06:00:00.000Z', '2026-01-03_06-00-00'],
    ],
  },
  {
    name: '36h is a continuous grid',
    zone: 'UTC',
    at: null,
    every: '36h',
    from: '2026-01-01T00:00:00Z',
    expect: [
      ['2026-01-02T12:00:00.000Z', '2026-01-02_12-00-00'],
      ['2026-01-04T00:00:00.000Z', '2026-01-04_00-00-00'],
    ],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const schedule = createCleanupSchedule({ cleanupDailyAt: c.at, cleanupEvery: c.every, timeZone: c.zone });
    let now = Date.parse(c.from);
    const got: [string, string][] = [];
    for (const _ of c.expect) {
      const next = schedule.next(now);
      if (next === null) break;
      got.push([new Date(next).toISOString(), cleanupStamp(next, c.zone)]);
      now = next;
    }
    t.same(got, c.expect);
  });
}

t.test('a 02:30 daily cleanup fires exactly once on each DST day, counted instant by instant', async (t) => {
  for (const [zone, dayStart, dayEnd] of [
    ['Europe/Berlin', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'],
    ['Europe/Berlin', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z'],
    ['America/New_York', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'],
    ['America/New_York', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'],
  ] as const) {
    const schedule = createCleanupSchedule({ cleanupDailyAt: '02:30', cleanupEvery: '1d', timeZone: zone });
    let count = 0;
    for (
      let next = schedule.next(Date.parse(dayStart) - 1);
      next !== null && next < Date.parse(dayEnd);
      next = schedule.next(next)
    )
      count++;
    t.equal(count, 1, `${zone} ${dayStart}`);
  }
});

t.test('no rule means no cleanup; bad fields throw a typed error', async (t) => {
  t.equal(nextCleanup({ cleanupDailyAt: null, cleanupEvery: null, timeZone: 'UTC' }, 0), null);
  for (const [rule, option] of [
    [{ cleanupDailyAt: '24:00', cleanupEvery: null, timeZone: 'UTC' }, 'cleanupDailyAt'],
    [{ cleanupDailyAt: null, cleanupEvery: '0h', timeZone: 'UTC' }, 'cleanupEvery'],
    [{ cleanupDailyAt: null, cleanupEvery: '1d', timeZone: 'Mars/Olympus' }, 'timeZone'],
  ] as const) {
    t.throws(() => createCleanupSchedule(rule), { code: 'SIEMKIT_ERR_INVALID_OPTION', fields: { option } });
  }
});
