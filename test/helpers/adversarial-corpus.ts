// A seeded corpus of valid events whose values carry everything a CEF/LEEF writer can get wrong.

import { type Platform, type SiemEvent, validateEvent } from '../../lib/events.js';
import { seededRandom } from '../../lib/simulated-events.js';

/** Every character the wire-format spec treats specially (CEF §1.5, LEEF §2.2). */
export const SPECIAL_CHARS: readonly string[] = [
  '\\',
  '=',
  '|',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\0',
  '\x01',
  '\x1b',
  '\x1f',
  '\x7f',
  '\u2028',
  '^',
];

/** Values that imitate a header or an extra pair, and other traps. */
const TRAPS: readonly string[] = [
  'CEF:0|Evil|Corp|1|1|forged|10|',
  '\nCEF:0|Evil|Corp|1|1|forged|10| suser=root',
  'LEEF:2.0|Evil|Corp|1|forged|^|usrName=root',
  ' suser=admin',
  'x suser=admin act=allow',
  'C:\\Users\\bob\\',
  '\\n is not a newline',
  '\\=',
  'a==b',
  '  leading and trailing  ',
  'usrName=root\tsev=10',
  '<13>1 2024-06-01T00:00:00Z evil - - - forged',
  '12 <13>frame',
];

const NON_ASCII: readonly string[] = [
  'é',
  'Ünïcödé',
  'Ελληνικά',
  '漢字かな',
  '한국어',
  '😀',
  '👩‍💻',
  'ﬁ',
  '\u00a0',
  '\ufeff',
];
const WORDS: readonly string[] = [
  'alice',
  'login',
  'report.pdf',
  'powershell',
  '/usr/bin/sudo',
  'https://x.test/a?b=c&d',
];

type Rng = () => number;

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

function adversarialString(rng: Rng): string {
  const roll = rng();
  if (roll < 0.06)
    return 'long:'.padEnd(4100 + Math.floor(rng() * 1000), pick(rng, ['x', 'é', '\\', '=', 'ab|']));
  let out = '';
  const parts = 1 + Math.floor(rng() * 6);
  for (let i = 0; i < parts; i++) {
    const r = rng();
    out +=
      r < 0.35
        ? pick(rng, SPECIAL_CHARS)
        : r < 0.55
          ? pick(rng, TRAPS)
          : r < 0.75
            ? pick(rng, NON_ASCII)
            : pick(rng, WORDS);
  }
  return out;
}

// Non-empty and not all-space: required names such as `user` must still mean something.
function requiredString(rng: Rng): string {
  return pick(rng, WORDS) + adversarialString(rng);
}

function time(rng: Rng): string | number {
  const ms = 1_700_000_000_000 + Math.floor(rng() * 1e10);
  return rng() < 0.5 ? ms : new Date(ms).toISOString().replace('Z', rng() < 0.5 ? 'Z' : '+00:00');
}

const ipv4 = (rng: Rng) =>
  `10.${Math.floor(rng() * 256)}.${Math.floor(rng() * 256)}.${1 + Math.floor(rng() * 254)}`;
const ipv6 = (rng: Rng) => `2001:db8::${Math.floor(rng() * 0xffff).toString(16)}`;
const maybe = <T>(rng: Rng, make: () => T): T | undefined => (rng() < 0.7 ? make() : undefined);

function sessionFields(rng: Rng, platform: Platform): Record<string, unknown> {
  const s = () => adversarialString(rng);
  const fields: Record<string, unknown> = {
    id: rng() < 0.5 ? Math.floor(rng() * 1e9) : requiredString(rng),
    time: time(rng),
    platform,
    user: requiredString(rng),
    secondaryUser: maybe(rng, s),
    client: requiredString(rng),
    domain: maybe(rng, s),
    os: maybe(rng, s),
    ipv4: maybe(rng, () => ipv4(rng)),
    ipv6: maybe(rng, () => ipv6(rng)),
    remoteIp: maybe(rng, () => (rng() < 0.5 ? ipv4(rng) : ipv6(rng))),
    sessionPlayerUrl: maybe(rng, s),
  };
  if (platform === 'linux')
    Object.assign(fields, { command: maybe(rng, s), function: maybe(rng, s), parameters: maybe(rng, s) });
  else
    Object.assign(fields, {
      title: maybe(rng, s),
      application: maybe(rng, s),
      url: maybe(rng, s),
      keystrokes: maybe(rng, s),
    });
  return fields;
}

const PLATFORMS: readonly Platform[] = ['windows', 'linux', 'macos'];

function makeEvent(rng: Rng, index: number): Record<string, unknown> {
  const s = () => adversarialString(rng);
  // Round-robin over kind x platform, so every combination shows up in any corpus of >= 8 events.
  const slot = index % 8;
  const platform = PLATFORMS[slot % 3]!;
  if (slot < 3) {
    const rule = platform === 'linux' ? { alert: maybe(rng, s) } : { rule: maybe(rng, s) };
    return { kind: 'client-record', ...sessionFields(rng, platform), ...rule };
  }
  if (slot < 6) {
    return {
      kind: 'alert',
      ...sessionFields(rng, platform),
      alertId: Math.floor(rng() * 1e6),
      alertName: requiredString(rng),
      alertDescription: maybe(rng, s),
    };
  }
  if (slot === 6) {
    return {
      kind: 'audit',
      id: requiredString(rng),
      time: time(rng),
      user: requiredString(rng),
      userGroups: maybe(rng, () => [s(), s()]),
      category: requiredString(rng),
      action: requiredString(rng),
      object: maybe(rng, s),
      details: maybe(rng, s),
    };
  }
  return {
    kind: 'client-status',
    time: time(rng),
    status: rng() < 0.5 ? 'online' : 'offline',
    client: requiredString(rng),
    os: maybe(rng, s),
    ipv4: maybe(rng, () => ipv4(rng)),
    ipv6: maybe(rng, () => ipv6(rng)),
    domain: maybe(rng, s),
  };
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/**
 * `count` validated events from `seed`. The first events carry each special character and trap
 * verbatim in `client` (`user` for audit), so coverage does not depend on the dice.
 */
export function adversarialCorpus(seed: number, count: number): SiemEvent[] {
  const rng = seededRandom(seed);
  const forced = [...SPECIAL_CHARS, ...TRAPS, ...NON_ASCII];
  const events: SiemEvent[] = [];
  for (let i = 0; i < count; i++) {
    const raw = dropUndefined(makeEvent(rng, i));
    const trap = forced[i];
    if (trap !== undefined) raw['client' in raw ? 'client' : 'user'] = `c${trap}${trap}`;
    events.push(validateEvent(raw));
  }
  return events;
}
