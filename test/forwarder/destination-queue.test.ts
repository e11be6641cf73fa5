import { EventEmitter } from 'node:events';
import t from 'tap';
import { DestinationQueue } from '../../forwarder/destination-queue.js';
import type { RecordDestination, UndeliveredReport } from '../../forwarder/record-destination.js';

/** A sink that takes `capacity` records, then pushes back until `drain()` is called by the test. */
class FakeSink extends EventEmitter implements RecordDestination {
  records: string[] = [];
  pending = 0;
  constructor(readonly capacity: number) {
    super();
  }
  write(record: string): boolean {
    this.records.push(record);
    this.pending++;
    return this.pending < this.capacity;
  }
  drain(): void {
    this.pending = 0;
    this.emit('drain');
  }
  flush = async () => {};
  end = async () => {};
}

const meta = { epochMs: 0, severity: 0 };

t.test('records wait in order while the sink pushes back, and go on at drain', async (t) => {
  const sink = new FakeSink(2);
  const reports: UndeliveredReport[] = [];
  const queue = new DestinationQueue('syslog', sink, (r) => reports.push(r), { maxQueuedRecords: 10 });
  for (let i = 0; i < 6; i++) queue.push(`r${i}`, meta);
  t.same(sink.records, ['r0', 'r1'], 'the sink got what it took before pushing back');
  t.equal(queue.length, 4);
  t.equal(queue.pushingBack, false, 'below half the bound the source is not paused');
  sink.drain();
  t.same(sink.records, ['r0', 'r1', 'r2', 'r3']);
  sink.drain();
  sink.drain();
  t.same(sink.records, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  t.equal(queue.accepted, 6);
  t.same(reports, []);
});

t.test('the queue is bounded: overflow fails and is reported, never buffered', async (t) => {
  const sink = new FakeSink(1);
  const reports: UndeliveredReport[] = [];
  const queue = new DestinationQueue('file', sink, (r) => reports.push(r), { maxQueuedRecords: 4 });
  for (let i = 0; i < 10; i++) queue.push(`r${i}`, meta);
  t.equal(queue.length, 4);
  t.equal(queue.failed, 5);
  t.equal(reports.length, 5);
  t.match(reports[0], { destination: 'file', records: 1, reason: /queue full/ });
  t.equal(queue.pushingBack, true);
});

t.test('whenReady waits for the queue to fall below half, or gives up on a stalled sink', async (t) => {
  const sink = new FakeSink(1);
  const queue = new DestinationQueue('syslog', sink, () => {}, { maxQueuedRecords: 4, stallTimeoutMs: 1000 });
  for (let i = 0; i < 4; i++) queue.push(`r${i}`, meta);
  let ready = false;
  const waiting = queue.whenReady().then(() => (ready = true));
  await new Promise((r) => setTimeout(r, 20));
  t.equal(ready, false, 'paused while the sink pushes back');
  sink.drain();
  await waiting;
  t.equal(ready, true);

  for (let i = 0; i < 4; i++) queue.push(`s${i}`, meta);
  const start = Date.now();
  await queue.whenReady();
  t.ok(Date.now() - start >= 900, 'a sink that stopped moving releases the source after the stall timeout');
  t.equal(queue.stalled, true);
  t.equal(queue.pushingBack, false);
});

t.test('drained() fails what the sink never took, after the timeout', async (t) => {
  const sink = new FakeSink(1);
  const reports: UndeliveredReport[] = [];
  const queue = new DestinationQueue('syslog', sink, (r) => reports.push(r));
  for (let i = 0; i < 3; i++) queue.push(`r${i}`, meta);
  await queue.drained(50);
  t.equal(queue.failed, 2);
  t.match(reports, [{ destination: 'syslog', records: 2, reason: /within 50 ms/ }]);
});
