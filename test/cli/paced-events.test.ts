import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { pacedEvents } from '../../cli/paced-events.js';

t.test('paced events keep their rate', async (t) => {
  let count = 0;
  for await (const _ of pacedEvents({ rate: 2000, durationMs: 600 })) count++;
  t.ok(count >= 1000 && count <= 1200, `about 1200 events in 0.6 s at 2000/s, got ${count}`);
});

t.test('after a stalled consumer, at most one second of events comes at once', async (t) => {
  const arrivals: number[] = [];
  let stalled = false;
  for await (const _ of pacedEvents({ rate: 200, durationMs: 1700 })) {
    if (!stalled) {
      stalled = true;
      await sleep(1500); // the consumer stops pulling for 1.5 s: 300 events fall due
      continue;
    }
    arrivals.push(performance.now());
  }
  // The largest burst: events handed over back to back, between two waits of the generator for its tick.
  let burst = 0;
  let run = 0;
  for (let i = 0; i < arrivals.length; i++) {
    run = i > 0 && arrivals[i]! - arrivals[i - 1]! < 15 ? run + 1 : 1; // ticks are 50 ms apart
    burst = Math.max(burst, run);
  }
  t.ok(
    burst >= 180 && burst <= 215,
    `one second's worth (200) made up at once, not 300 nor one tick's 10: ${burst}`,
  );
});
