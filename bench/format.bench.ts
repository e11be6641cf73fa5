// Formatting hot path: siemkit's CEF and LEEF encoders beside named baselines, in one process, rounds
// interleaved. Every line is encoded to UTF-8 bytes, as a sink must (a string only touched by `.length`
// stays a rope and flatters the formatter).

import NpmCefFormatter from 'cef/lib/formatter.js';
import { createCefEncoder } from '../lib/cef.js';
import type { SiemEvent } from '../lib/events.js';
import { createLeefEncoder } from '../lib/leef.js';
import { takeEvents } from '../lib/simulated-events.js';
import { race, report } from './harness.js';

const events = takeEvents(20_000, { seed: 7 });
const H = 'CEF:0|siemkit|siemkit|0.1.0|';

// The floor's epoch text: the same per-second cache the encoders use, so the floor stays a ceiling
// (with a plain `${time}` the floor measured 10-15% slower, which flattered every ratio).
let floorSecond = Number.NaN;
let floorSecondText = '';
function floorEpochText(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== floorSecond) {
    floorSecond = second;
    floorSecondText = String(second);
  }
  const rest = ms - second * 1000;
  return floorSecondText + (rest < 10 ? '00' : rest < 100 ? '0' : '') + rest;
}

// The floor: the same layout with no escaping and no validation, unrolled per kind by hand.
function floorCef(e: SiemEvent): string {
  const f = e as unknown as Record<string, string | undefined>;
  const time = floorEpochText(typeof e.time === 'number' ? e.time : Date.parse(e.time));
  let s: string;
  if (e.kind === 'audit') {
    s = `${H}300|EkranMTLogEvent|10|rt=${time} externalId=${e.id} suser=${e.user}`;
    if (e.userGroups) s += ` cs1=${e.userGroups.join(', ')} cs1Label=User Groups`;
    s += ` cs2=${e.category} cs2Label=Category act=${e.action}`;
    if (e.object !== undefined) s += ` cs3=${e.object} cs3Label=Object`;
    if (e.details !== undefined) s += ` msg=${e.details}`;
    return s + ' cat=MTLogEvents';
  }
  if (e.kind === 'client-status') {
    s = `${H}400|EkranClientEvent|1|rt=${time} shost=${e.client}`;
    if (e.os !== undefined) s += ` cs2=${e.os} cs2Label=OS`;
    if (e.status === 'offline') {
      if (e.ipv4 !== undefined) s += ` src=${e.ipv4}`;
      if (e.ipv6 !== undefined) s += ` c6a2=${e.ipv6} c6a2Label=Source IPv6 Address`;
      if (e.domain !== undefined) s += ` sntdom=${e.domain}`;
    }
    return s + ` act=${e.status} cat=ClientEvents`;
  }
  s = e.kind === 'alert' ? `${H}200|EkranAlertEvent|7|rt=${time}` : `${H}100|EkranClientEvent|3|rt=${time}`;
  if (f.id !== undefined) s += ` externalId=${f.id}`;
  s += ` suser=${f.user}`;
  if (f.secondaryUser !== undefined) s += ` cs1=${f.secondaryUser} cs1Label=Secondary User`;
  s += ` shost=${f.client}`;
  if (f.domain !== undefined) s += ` sntdom=${f.domain}`;
  if (f.os !== undefined) s += ` cs2=${f.os} cs2Label=OS`;
  if (f.ipv4 !== undefined) s += ` src=${f.ipv4}`;
  if (f.ipv6 !== undefined) s += ` c6a2=${f.ipv6} c6a2Label=Source IPv6 Address`;
  if (f.remoteIp !== undefined) s += ` cs3=${f.remoteIp} cs3Label=Remote IP`;
  if (f.sessionPlayerUrl !== undefined) s += ` cs4=${f.sessionPlayerUrl} cs4Label=Session Player URL`;
  if (f.title !== undefined) s += ` cs5=${f.title} cs5Label=Window Title`;
  if (f.application !== undefined) s += ` sproc=${f.application}`;
  if (f.url !== undefined) s += ` request=${f.url}`;
  if (f.keystrokes !== undefined) s += ` cs6=${f.keystrokes} cs6Label=Keystrokes`;
  if (f.command !== undefined) s += ` cs5=${f.command} cs5Label=Command`;
  if (f.function !== undefined) s += ` flexString1=${f.function} flexString1Label=Function`;
  if (f.parameters !== undefined) s += ` cs6=${f.parameters} cs6Label=Parameters`;
  if (e.kind === 'alert') {
    s += ` flexString2=${e.alertId} flexString2Label=Alert ID reason=${e.alertName}`;
    if (e.alertDescription !== undefined) s += ` msg=${e.alertDescription}`;
    return s + ' cat=AlertEvents';
  }
  if (f.rule !== undefined) s += ` reason=${f.rule}`;
  if (f.alert !== undefined) s += ` reason=${f.alert}`;
  return s + ' cat=ClientEvents';
}

// What a first attempt looks like: an array of pairs, joined, with a chain of `replace` per value.
function naiveCef(e: SiemEvent): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(e)) {
    if (key === 'kind' || value === undefined) continue;
    const text = String(value)
      .replace(/\\/g, '\\\\')
      .replace(/=/g, '\\=')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r');
    pairs.push(`${key}=${text}`);
  }
  return ['CEF:0', 'siemkit', 'siemkit', '0.1.0', '100', 'EkranClientEvent', '3', pairs.join(' ')].join('|');
}

// npm `cef` 0.3.3, the only CEF package on npm, as its users call it. It accepts only its own list of
// keys (no cs1-cs6, no labels, no externalId), so the event goes into the keys it has.
const npmCef = new NpmCefFormatter({ vendor: 'siemkit', product: 'siemkit', version: '0.1.0' });
// It logs every undefined value as invalid; its users leave absent fields out.
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}
function npmCefLine(e: SiemEvent): string {
  const f = e as unknown as Record<string, string | undefined>;
  const line = npmCef.format({
    signature: e.kind === 'audit' ? '300' : e.kind === 'alert' ? '200' : '100',
    name: e.kind,
    severity: 3,
    extensions: defined({
      rt: e.time,
      suser: f.user,
      shost: f.client,
      sntdom: f.domain,
      src: f.ipv4,
      request: f.url ?? f.sessionPlayerUrl,
      msg: f.title ?? f.details ?? f.parameters,
      act: f.action ?? f.status ?? f.application ?? f.command,
    }),
  });
  if (typeof line !== 'string') throw line;
  return line;
}

function over(format: (e: SiemEvent) => string) {
  return () => {
    let bytes = 0;
    for (const e of events) bytes += Buffer.from(format(e)).length;
    if (bytes === 0) throw new Error('nothing formatted');
    return events.length;
  };
}

const cef = createCefEncoder();
const cefTrusted = createCefEncoder({ validate: false });
const leef2 = createLeefEncoder({ version: '2.0' });
const leef1 = createLeefEncoder({ version: '1.0' });

report(
  await race(
    'format',
    'events',
    [
      { name: 'floor (no escaping)', run: over(floorCef) },
      { name: 'JSON.stringify', run: over((e) => JSON.stringify(e)) },
      { name: 'naive (join + replace)', run: over(naiveCef) },
      { name: 'npm cef 0.3.3', run: over(npmCefLine) },
      { name: 'siemkit CEF', run: over(cef) },
      { name: 'siemkit CEF (validate: false)', run: over(cefTrusted) },
      { name: 'siemkit LEEF 2.0', run: over(leef2) },
      { name: 'siemkit LEEF 1.0', run: over(leef1) },
    ],
    { clock: 'cpu' },
  ),
);
