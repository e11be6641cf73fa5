import t from 'tap';
import { createCefEncoder } from '../../lib/cef.js';
import { InvalidEventError } from '../../lib/errors.js';
import { validateEvent } from '../../lib/events.js';
import { createLeefEncoder } from '../../lib/leef.js';
import { takeEvents } from '../../lib/simulated-events.js';

// The compiled fast path hands every event it cannot vouch for to validateEvent; these cases must give
// exactly validateEvent's error (the first bad field in key order), through every encoder.
const [windows] = takeEvents(40, { seed: 7 }).filter(
  (e) => e.kind === 'client-record' && e.platform === 'windows',
);
const base = windows as unknown as Record<string, unknown>;
const mutations: readonly [string, Record<string, unknown>][] = [
  ['unknown field', { ...base, foo: 1 }],
  ['unknown field, undefined', { ...base, foo: undefined }],
  ['another platform', { ...base, command: 'ls' }],
  ['two bad fields, first wins', { ...base, user: 5, client: 6 }],
  ['bad address', { ...base, ipv4: '10.0.0.256' }],
  ['bad time', { ...base, time: 1.5 }],
  ['ISO time without offset', { ...base, time: '2026-01-05T09:00:00' }],
  ['required null', { ...base, user: null }],
  ['empty id', { ...base, id: '' }],
  ['bad platform', { ...base, platform: 'beos' }],
  ['bad kind', { ...base, kind: 'nope' }],
];
const encoders = {
  cef: createCefEncoder(),
  leef: createLeefEncoder(),
  leef1: createLeefEncoder({ version: '1.0' }),
};

t.test('invalid events give validateEvent error', async (t) => {
  for (const [name, event] of mutations) {
    let expected: unknown;
    try {
      validateEvent(event);
    } catch (error) {
      expected = error;
    }
    t.ok(expected instanceof InvalidEventError, `${name}: invalid`);
    for (const [format, encode] of Object.entries(encoders)) {
      t.throws(
        () => encode(event as never),
        { code: 'SIEMKIT_ERR_INVALID_EVENT', fields: (expected as InvalidEventError).fields },
        `${format}: ${name}`,
      );
    }
  }
});

t.test('valid odd shapes still format, stats count only valid events', async (t) => {
  const cef = createCefEncoder();
  const line = cef({ ...base, ipv4: null, time: '2026-01-05T09:00:00.123+01:00' } as never);
  t.match(line, /\|rt=1767600000123 externalId=/);
  t.throws(() => cef({ ...base, user: 'a\u0000b', client: 5 } as never));
  t.same(cef.stats, { truncated: 0, neutralised: 0 });
  cef({ ...base, user: 'a\u0000b' } as never);
  t.same(cef.stats, { truncated: 0, neutralised: 1 });
});
