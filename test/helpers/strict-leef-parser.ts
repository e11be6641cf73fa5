// A strict LEEF 1.0/2.0 parser from IBM's rules (wire-formats.md 2.1-2.2): no escapes exist, so every
// delimiter splits and every `=` after the key's first one belongs to the value.

export interface ParsedLeef {
  version: '1.0' | '2.0';
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  delimiter: string;
  attributes: Record<string, string>;
}

export function parseLeef(line: string): ParsedLeef {
  if (/[\r\n]/.test(line)) throw new Error('raw CR or LF inside a record');
  const m = /^LEEF:(1\.0|2\.0)\|/.exec(line);
  if (!m) throw new Error('does not start with LEEF:1.0| or LEEF:2.0|');
  const version = m[1] as '1.0' | '2.0';
  const parts = line.slice(m[0].length).split('|');
  const headerCount = version === '1.0' ? 4 : 5;
  if (parts.length < headerCount + 1) throw new Error('header too short');
  const [vendor, product, productVersion, eventId] = parts as [string, string, string, string];
  let delimiter = '\t';
  if (version === '2.0') {
    const d = parts[4]!;
    const hex = /^0?x([0-9A-Fa-f]{1,4})$/.exec(d);
    if (hex) delimiter = String.fromCharCode(Number.parseInt(hex[1]!, 16));
    else if (d.length === 1) delimiter = d;
    else throw new Error(`bad delimiter field ${JSON.stringify(d)}`);
  }
  for (const [name, value] of [
    ['vendor', vendor],
    ['product', product],
    ['version', productVersion],
    ['eventId', eventId],
  ] as const) {
    if (value === '') throw new Error(`empty header field ${name}`);
  }
  if (eventId.length > 255) throw new Error('EventID longer than 255');
  const body = parts.slice(headerCount).join('|');
  const attributes: Record<string, string> = {};
  for (const pair of body.split(delimiter)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`not a key=value pair: ${JSON.stringify(pair.slice(0, 40))}`);
    const key = pair.slice(0, eq);
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new Error(`bad key ${JSON.stringify(key)}`);
    if (key in attributes) throw new Error(`key ${key} twice`);
    attributes[key] = pair.slice(eq + 1);
  }
  return { version, vendor, product, productVersion, eventId, delimiter, attributes };
}
