// The cost of the write-ahead spool on a healthy receiver: events/s handed to the socket by SyslogSink with a
// DiskSpool (every record appended to a segment file and read back before it is sent) over the same sink with
// its memory buffer only. Receiver in a child process (bench/outage-receiver.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool } from '../sinks/disk-spool.js';
import type { SyslogSink } from '../sinks/syslog-sink.js';
import { race, report } from './harness.js';
import { line, makeSink, startReceiver, tick } from './outage-support.js';

/** The cost of the write-ahead spool on a healthy receiver: events/s handed to the socket, with and without. */
async function spoolCost() {
  const receiver = startReceiver();
  const { port } = await receiver.ask<{ port: number }>('', 'started');
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-spoolcost-'));
  const plain = makeSink(port, null);
  const spooled = makeSink(port, DiskSpool.open({ path: dir, maxBytes: null }));
  const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
  let id = 0;
  const round = (sink: SyslogSink) => async () => {
    const target = sink.stats.written + EVENTS;
    for (let i = 0; i < EVENTS; i++) {
      if (!sink.write(line(id++))) await new Promise<void>((r) => sink.once('drain', r));
      if (i % 1000 === 999) await tick();
    }
    while (sink.stats.written < target) await tick();
    return EVENTS;
  };
  const result = await race('spool-cost', 'events', [
    { name: 'TCP sink, memory buffer', run: round(plain) },
    { name: 'TCP sink + disk spool (write-ahead)', run: round(spooled) },
  ]);
  await plain.end();
  await spooled.end();
  receiver.child.send({ type: 'exit' });
  rmSync(dir, { recursive: true, force: true });
  return result;
}

report(await spoolCost());
process.exit(0);
