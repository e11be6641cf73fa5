import t from 'tap';
import { isIPv4, isIPv6 } from '../../lib/net-address.js';
import { seededRandom } from '../../lib/simulated-events.js';

// The regex forms the scanners replaced (for speed): the scanners must accept exactly the same strings.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;
function referenceIPv6(text: string): boolean {
  if (text.length < 2 || text.length > 45 || !text.includes(':')) return false;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) {
    const groups = s.split(':');
    return groups.length === 8 && groups.every((g) => HEXTET.test(g));
  }
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  return groups.length <= 7 && groups.every((g) => HEXTET.test(g));
}

const cases: readonly [string, boolean, boolean][] = [
  ['10.0.0.1', true, false],
  ['255.255.255.255', true, false],
  ['256.0.0.1', false, false],
  ['1.2.3.04', false, false],
  ['1.2.3', false, false],
  ['::', false, true],
  ['::1', false, true],
  ['fd00::1', false, true],
  ['::ffff:10.0.0.1', false, true],
  ['1:2:3:4:5:6:7:8', false, true],
  ['1:2:3:4:5::7:8', false, true],
  ['1:2:3:4:5:6::7:8', false, false],
  ['1:2:3:4:5:6:7:8:9', false, false],
  [':::', false, false],
  ['1:::2', false, false],
  ['a::b::c', false, false],
  ['12345::', false, false],
];

t.test('known addresses', async (t) => {
  for (const [text, v4, v6] of cases) {
    t.equal(isIPv4(text), v4, `isIPv4(${text})`);
    t.equal(isIPv6(text), v6, `isIPv6(${text})`);
  }
});

t.test('same answers as the regex forms on random near-addresses', async (t) => {
  const random = seededRandom(3);
  const pieces = [
    '0',
    '1',
    '2',
    '5',
    '9',
    'a',
    'f',
    'F',
    'g',
    ':',
    ':',
    '.',
    '25',
    '255',
    '256',
    '00',
    '::',
    'ffff',
    ' ',
  ];
  let mismatches = 0;
  for (let i = 0; i < 200_000; i++) {
    let s = '';
    const n = Math.floor(random() * 14);
    for (let j = 0; j < n; j++) s += pieces[Math.floor(random() * pieces.length)];
    if (isIPv4(s) !== IPV4.test(s) || isIPv6(s) !== referenceIPv6(s)) mismatches++;
  }
  t.equal(mismatches, 0);
});
