// The forwarder with its disk spool (forwarding.spool, on by default): a SIEM down during a whole run keeps
// every record in the spool, named in the report; the next forwarder on the same settings delivers them; a full
// spool's drops reach the SIEM as one summary record in the configured format and show in stats.spool.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from } from 'rxjs';
import t from 'tap';
import { createForwarder } from '../../forwarder/create-forwarder.js';
import { parseSettings, type SettingsInput } from '../../lib/settings.js';
import { takeEvents } from '../../lib/simulated-events.js';
import { freePort, startReceiver } from '../helpers/receiver.js';

t.setTimeout(60_000);

const events = takeEvents(4000, { seed: 11 });
const withId = events
  .filter((e) => 'id' in e && e.id !== undefined)
  .map((e) => String((e as { id: unknown }).id));

function settingsFor(
  dir: string,
  port: number,
  spool: NonNullable<SettingsInput['forwarding']>['spool'] = {},
) {
  return parseSettings({
    logFile: { enabled: false, location: join(dir, 'logs') },
    forwarding: {
      enabled: true,
      host: '127.0.0.1',
      port,
      connectTimeoutMs: 500,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      spool,
    },
  });
}
const externalIds = (messages: string[]) =>
  messages.flatMap((m) => {
    const id = /externalId=(\S+)/.exec(m);
    return id ? [id[1]!] : [];
  });

t.test(
  'SIEM down for a whole run: the records wait in the spool and the next run delivers them',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-spool-'));
    const port = await freePort();
    const first = createForwarder(settingsFor(dir, port), { closeTimeoutMs: 500 });
    await first.run(from(events));
    const report = await first.close();
    t.equal(report.ok, false);
    t.equal(report.stats.sent, 0);
    t.equal(report.stats.spool?.spooled, events.length);
    t.match(report.undelivered, [
      { destination: 'syslog', records: events.length, reason: /kept in the spool .*logs[/\\]spool/ },
    ]);

    const receiver = await startReceiver({ port });
    t.teardown(() => receiver.close());
    const second = createForwarder(settingsFor(dir, port));
    const done = await second.run(from([]));
    t.equal(done.ok, true, JSON.stringify(done.undelivered));
    await second.close();
    const got = new Set(externalIds(receiver.messages('lf')));
    t.equal(receiver.messages('lf').length >= events.length, true);
    t.same(
      withId.filter((id) => !got.has(id)),
      [],
      'every event id arrived',
    );
  },
);

t.test('a full spool: its drops are reported and one summary record reaches the SIEM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siemkit-fwd-spool-'));
  const port = await freePort();
  const many = takeEvents(12_000, { seed: 5 });
  const dropped: number[] = [];
  const first = createForwarder(settingsFor(dir, port, { maxBytes: 1_048_576 }), {
    closeTimeoutMs: 300,
    onUndelivered: (u) => {
      if (/spool full/.test(u.reason)) dropped.push(u.records);
    },
  });
  await first.run(from(many));
  const report = await first.close();
  const spool = report.stats.spool!;
  t.ok(spool.dropped > 0, `${spool.dropped} dropped`);
  t.equal(
    dropped.reduce((a, b) => a + b, 0),
    spool.dropped,
    'every drop reported',
  );
  t.equal(
    Object.values(spool.droppedByKind).reduce((a, b) => a + b, 0),
    spool.dropped,
  );
  const receiver = await startReceiver({ port });
  t.teardown(() => receiver.close());
  const second = createForwarder(settingsFor(dir, port, { maxBytes: 1_048_576 }));
  await second.run(from([]));
  await second.close();
  const summary = receiver.messages('lf').find((m) => m.includes('siemkit events dropped'));
  t.match(
    summary,
    new RegExp(
      `CEF:0\\|siemkit\\|siemkit\\|[^|]+\\|siemkit-dropped\\|siemkit events dropped\\|8\\|cnt=${spool.dropped} `,
    ),
  );
  t.equal(receiver.messages('lf').length, many.length - spool.dropped + 1);
});
