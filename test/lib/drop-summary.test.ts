import t from 'tap';
import { type DropSummary, formatDropSummary } from '../../lib/drop-summary.js';
import { parseLeefOrThrow } from '../helpers/leef-parser.js';
import { parseCef } from '../helpers/strict-cef-parser.js';

const summary: DropSummary = {
  dropped: 1234,
  byKind: { 'client-record': 1200, audit: 30, alert: 4 },
  firstEventMs: 1_767_600_000_000,
  lastEventMs: 1_767_600_060_000,
  firstDropMs: 1_767_600_001_000,
  lastDropMs: 1_767_600_061_000,
};

t.test('CEF: a record the strict parser reads back, counts per kind in a stable order', async (t) => {
  const cef = parseCef(formatDropSummary(summary, { vendor: 'Acme|Corp', product: 'Guard' }));
  t.match(cef, {
    vendor: 'Acme|Corp',
    product: 'Guard',
    classId: 'siemkit-dropped',
    name: 'siemkit events dropped',
    severity: '8',
  });
  t.match(cef.extension, {
    cnt: '1234',
    start: '1767600000000',
    end: '1767600060000',
    rt: '1767600061000',
    cs1Label: 'droppedByKind',
    cs1: 'alert:4, audit:30, client-record:1200',
  });
  t.match(cef.extension.msg, /^1234 events dropped because the spool was full/);
});

for (const format of ['leef', 'leef2'] as const) {
  t.test(`${format}: a record the LEEF parser reads back`, async (t) => {
    const leef = parseLeefOrThrow(formatDropSummary(summary, { format, delimiter: '^' }));
    t.equal(leef.version, format === 'leef' ? '1.0' : '2.0');
    t.match(leef.attributes, {
      cat: 'siemkit',
      sev: '8',
      cnt: '1234',
      startTime: '1767600000000',
      endTime: '1767600060000',
    });
  });
}
