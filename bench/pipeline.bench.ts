// The RxJS pipeline around the encoder against a plain loop over the same predicate and encoder: what the
// framework costs per event. Plain rxjs `filter`/`map` stand in for siemkit's operators until they land.
import { filter, from, map } from 'rxjs';
import { createCefEncoder } from '../lib/cef.js';
import type { SiemEvent } from '../lib/events.js';
import { takeEvents } from '../lib/simulated-events.js';
import { race, report } from './harness.js';

const events = takeEvents(20_000, { seed: 7 });
const cef = createCefEncoder();
// The settings page's content checkboxes: records, alerts and audit on, client status off.
const contents = new Set(['client-record', 'alert', 'audit']);
const selectContent = (e: SiemEvent) => contents.has(e.kind);

function plainLoop(): number {
  let bytes = 0;
  for (const e of events) if (selectContent(e)) bytes += Buffer.from(cef(e)).length;
  if (bytes === 0) throw new Error('nothing formatted');
  return events.length;
}

function rxjsPipeline(): number {
  let bytes = 0;
  from(events)
    .pipe(filter(selectContent), map(cef))
    .subscribe((line) => {
      bytes += Buffer.from(line).length;
    });
  if (bytes === 0) throw new Error('nothing formatted');
  return events.length;
}

report(
  await race(
    'pipeline',
    'events',
    [
      { name: 'plain loop', run: plainLoop },
      { name: 'rxjs filter + map', run: rxjsPipeline },
    ],
    { clock: 'cpu' },
  ),
);
