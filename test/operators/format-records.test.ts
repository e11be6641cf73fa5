import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import t from 'tap';
import type { InvalidEventError } from '../../lib/errors.js';
import type { SiemEvent } from '../../lib/events.js';
import { parseSettings } from '../../lib/settings.js';
import { formatCef } from '../../operators/format-cef.js';
import { formatFromSettings } from '../../operators/format-from-settings.js';
import { formatLeef } from '../../operators/format-leef.js';
import { selectContent } from '../../operators/select-content.js';

const T = 1717243200123;
const record: SiemEvent = { kind: 'client-record', time: T, platform: 'linux', user: 'root', client: 'l1' };
const audit: SiemEvent = { kind: 'audit', id: 1, time: T, user: 'a', category: 'c', action: 'x' };
const status: SiemEvent = { kind: 'client-status', time: T, status: 'online', client: 'l1' };
const alert: SiemEvent = {
  kind: 'alert',
  time: T,
  platform: 'windows',
  user: 'u',
  client: 'w',
  alertId: 1,
  alertName: 'n',
};

t.test('selectContent follows the four checkboxes', async (t) => {
  const all = [record, alert, audit, status];
  const kinds = async (contents: Parameters<typeof selectContent>[0]) =>
    (await lastValueFrom(from(all).pipe(selectContent(contents), toArray()))).map((e) => e.kind);
  const on = { clientRecords: true, alertEvents: true, auditLogEvents: true, clientStatusEvents: true };
  t.same(await kinds(on), ['client-record', 'alert', 'audit', 'client-status']);
  t.same(await kinds({ ...on, clientRecords: false, clientStatusEvents: false }), ['alert', 'audit']);
  t.same(await kinds({ ...on, alertEvents: false, auditLogEvents: false }), [
    'client-record',
    'client-status',
  ]);
});

t.test('formatCef emits records with kind, severity and time', async (t) => {
  const out = await lastValueFrom(from([record, audit]).pipe(formatCef(), toArray()));
  t.same(
    out.map((r) => [r.kind, r.severity, r.timeMs]),
    [
      ['client-record', 3, T],
      ['audit', 10, T],
    ],
  );
  t.match(
    out[0]!.text,
    /^CEF:0\|siemkit\|siemkit\|0\.1\.0\|100\|EkranClientEvent\|3\|rt=1717243200123 suser=root/,
  );
});

t.test('an invalid event errors the stream with the typed error by default', async (t) => {
  const bad = { ...record, user: 42 } as unknown as SiemEvent;
  await t.rejects(lastValueFrom(from([record, bad, audit]).pipe(formatCef(), toArray())), {
    code: 'SIEMKIT_ERR_INVALID_EVENT',
    fields: { kind: 'client-record', field: 'user' },
  });
});

t.test('with onInvalid, bad events are reported and counted and the rest flow', async (t) => {
  const bad = { ...record, time: 'yesterday' } as unknown as SiemEvent;
  const reported: [InvalidEventError, unknown][] = [];
  const counters = { formatted: 0, rejected: 0 };
  const out = await lastValueFrom(
    from([record, bad, audit, bad]).pipe(
      formatLeef({ onInvalid: (e, ev) => reported.push([e, ev]), counters }),
      toArray(),
    ),
  );
  t.equal(out.length, 2);
  t.same(counters, { formatted: 2, rejected: 2 });
  t.equal(reported.length, 2);
  t.equal(reported[0]![0].fields.field, 'time');
  t.equal(reported[0]![1], bad, 'the event itself is reported');
});

t.test('a throwing onInvalid errors the stream instead of the producer', async (t) => {
  const subject = new Subject<SiemEvent>();
  const result = lastValueFrom(
    subject.pipe(
      formatCef({
        onInvalid: () => {
          throw new Error('callback failed');
        },
      }),
      toArray(),
    ),
  );
  t.doesNotThrow(
    () => subject.next({ ...record, user: 1 } as unknown as SiemEvent),
    'the producer never sees the throw',
  );
  await t.rejects(result, { message: 'callback failed' });
});

t.test('formatFromSettings uses the format section', async (t) => {
  const settings = parseSettings({
    format: { logFormat: 'leef2', leefDelimiter: 'x7E', dateFormat: 'iso8601', vendor: 'Acme' },
  });
  const [r] = await lastValueFrom(from([audit]).pipe(formatFromSettings(settings.format), toArray()));
  t.equal(
    r!.text,
    "LEEF:2.0|Acme|siemkit|0.1.0|300|x7E|cat=MTLogEvents~sev=10~devTime=2024-06-01T12:00:00.123Z~devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX~externalId=1~usrName=a~auditCategory=c~action=x",
  );
});

t.test('state is per subscription: counters of one do not leak into another', async (t) => {
  const op = formatCef();
  const a = await lastValueFrom(from([record]).pipe(op, toArray()));
  const b = await lastValueFrom(from([record, audit]).pipe(op, toArray()));
  t.equal(a.length, 1);
  t.equal(b.length, 2);
});
