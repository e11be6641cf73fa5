// Address checks without node:net, so lib/ stays free of I/O modules.

const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

// Both checks scan characters instead of running regexes and splitting: the event model checks an address
// in most events, and `split` + `every` made isIPv6 3.8% of the CEF profile (bench/format.bench.ts).
// They accept exactly what the regex forms (kept in test/lib/net-address.test.ts) accept.

/** Dotted quad, each part 0-255 without leading zeros. */
export function isIPv4(text: string): boolean {
  return ipv4End(text, 0) === text.length;
}

/** Where a dotted quad starting at `from` ends if it runs to the end of `text`, or -1. */
function ipv4End(text: string, from: number): number {
  const n = text.length;
  let i = from;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || text.charCodeAt(i) !== 0x2e) return -1;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < n && i - start < 4) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 0x30) || value > 255)
      return -1;
  }
  return i === n ? i : -1;
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** Number of `:`-separated groups of 1-4 hex digits in `text[from, to)`, 0 when empty, -1 when malformed. */
function hextets(text: string, from: number, to: number): number {
  if (from === to) return 0;
  let groups = 0;
  let run = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) {
      if (run === 0) return -1;
      groups++;
      run = 0;
    } else if (isHex(c) && run < 4) {
      run++;
    } else {
      return -1;
    }
  }
  return run === 0 ? -1 : groups + 1;
}

/** RFC 4291 text forms, including `::` compression and a trailing dotted IPv4; no zone index. */
export function isIPv6(text: string): boolean {
  if (text.length < 2 || text.length > 45) return false;
  const lastColon = text.lastIndexOf(':');
  if (lastColon === -1) return false;
  let s = text;
  if (text.indexOf('.', lastColon + 1) !== -1) {
    if (ipv4End(text, lastColon + 1) === -1) return false;
    s = text.slice(0, lastColon + 1) + '0:0'; // the dotted quad stands for two hextets
  }
  const gap = s.indexOf('::');
  if (gap === -1) return hextets(s, 0, s.length) === 8;
  if (s.indexOf('::', gap + 2) !== -1) return false;
  const left = hextets(s, 0, gap);
  const right = hextets(s, gap + 2, s.length);
  return left !== -1 && right !== -1 && left + right <= 7;
}

export function isHostName(text: string): boolean {
  return HOSTNAME.test(text);
}
