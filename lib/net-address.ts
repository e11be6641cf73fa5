// Address checks without node:net, so lib/ stays free of I/O modules.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** RFC 4291 text forms, including `::` compression and a trailing dotted IPv4; no zone index. */
export function isIPv6(text: string): boolean {
  if (text.length < 2 || text.length > 45 || !text.includes(':')) return false;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    s = s.slice(0, lastColon + 1) + '0:0'; // the dotted quad stands for two hextets
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

export function isHostName(text: string): boolean {
  return HOSTNAME.test(text);
}
