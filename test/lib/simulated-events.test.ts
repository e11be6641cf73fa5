import t from 'tap';
import { validateEvent } from '../../lib/events.js';
import { takeEvents } from '../../lib/simulated-events.js';

t.test('the same seed gives the same valid events of every kind and platform', async (t) => {
  const events = takeEvents(2000, { seed: 7, hostileRate: 0.1 });
  t.same(takeEvents(2000, { seed: 7, hostileRate: 0.1 }), events);
  t.notSame(takeEvents(50, { seed: 8 }), events.slice(0, 50));
  const seen = new Set(events.map((e) => `${e.kind}/${'platform' in e ? e.platform : ''}`));
  t.same([...seen].sort(), [
    'alert/linux',
    'alert/macos',
    'alert/windows',
    'audit/',
    'client-record/linux',
    'client-record/macos',
    'client-record/windows',
    'client-status/',
  ]);
  for (const event of events) validateEvent(event);
  t.ok(events.every((e, i) => i === 0 || (e.time as number) > (events[i - 1]!.time as number)));
});
