// A strict LEEF 1.0/2.0 parser written from IBM's rules (wire-formats §2.1): there is no independent
// LEEF parser on this machine, so the interop tests check LEEF with this one. It rejects rather than guesses.

export interface LeefRecord {
  version: '1.0' | '2.0';
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  /** The pair delimiter: TAB in 1.0 and in 2.0 without a delimiter field. */
  delimiter: string;
  attributes: Record<string, string>;
}

export type LeefResult = { ok: true; record: LeefRecord } | { ok: false; reason: string };

const KEY = /^[A-Za-z0-9]+$/;
// One literal character, or x / 0x followed by 1-4 hex digits (IBM: `^`, `x5E`, `0x09`).
const HEX_DELIMITER = /^(?:0x|x)([0-9A-Fa-f]{1,4})$/;
const MAX_EVENT_ID = 255;

const fail = (reason: string): LeefResult => ({ ok: false, reason });

/** Reads a 2.0 delimiter field; undefined when the field is not a delimiter at all. */
function delimiterOf(field: string): string | undefined {
  const hex = HEX_DELIMITER.exec(field);
  if (hex) return String.fromCodePoint(Number.parseInt(hex[1]!, 16));
  return [...field].length === 1 ? field : undefined;
}

/** Splits off `count` pipe-terminated fields; the rest (which may contain pipes) is returned last. */
function splitHeader(text: string, count: number): string[] | undefined {
  const fields: string[] = [];
  let from = 0;
  for (let i = 0; i < count; i++) {
    const at = text.indexOf('|', from);
    if (at < 0) return undefined;
    fields.push(text.slice(from, at));
    from = at + 1;
  }
  fields.push(text.slice(from));
  return fields;
}

/** Parses one LEEF record (starting at `LEEF:`, no syslog header, no line end). */
export function parseLeef(line: string): LeefResult {
  if (/[\r\n]/.test(line)) return fail('a record must be a single line (contains CR or LF)');
  if (!line.startsWith('LEEF:')) return fail('does not start with "LEEF:"');
  const version = line.slice(5, line.indexOf('|'));
  if (version !== '1.0' && version !== '2.0')
    return fail(`unsupported LEEF version ${JSON.stringify(version)}`);
  const fields = splitHeader(line, 5);
  if (!fields) return fail('fewer than 5 header fields (LEEF:Version|Vendor|Product|Version|EventID|)');
  const [, vendor, product, productVersion, eventId] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  for (const [name, value] of [
    ['Vendor', vendor],
    ['Product', product],
    ['Version', productVersion],
    ['EventID', eventId],
  ]) {
    if (value === '') return fail(`empty header field ${name}`);
  }
  if (eventId.length > MAX_EVENT_ID) return fail(`EventID longer than ${MAX_EVENT_ID} characters`);

  let rest = fields[5]!;
  let delimiter = '\t';
  if (version === '2.0') {
    const pipe = rest.indexOf('|');
    const candidate = pipe < 0 ? undefined : delimiterOf(rest.slice(0, pipe));
    if (candidate !== undefined) {
      if (candidate === '=') return fail('"=" cannot be the delimiter: it separates key and value');
      delimiter = candidate;
      rest = rest.slice(pipe + 1);
    } else if (pipe === 0) return fail('empty delimiter field');
    else if (pipe > 0 && /^(?:0x|x)/.test(rest.slice(0, pipe)) && !rest.slice(0, pipe).includes('=')) {
      return fail(`malformed hex delimiter ${JSON.stringify(rest.slice(0, pipe))}`);
    }
  }

  const attributes: Record<string, string> = {};
  if (rest !== '') {
    for (const pair of rest.split(delimiter)) {
      const eq = pair.indexOf('=');
      if (eq < 0) return fail(`attribute without "=": ${JSON.stringify(pair.slice(0, 40))}`);
      const key = pair.slice(0, eq);
      if (!KEY.test(key)) return fail(`attribute key is not alphanumeric: ${JSON.stringify(key)}`);
      if (Object.hasOwn(attributes, key)) return fail(`attribute key ${key} appears more than once`);
      attributes[key] = pair.slice(eq + 1);
    }
  }
  return { ok: true, record: { version, vendor, product, productVersion, eventId, delimiter, attributes } };
}

/** The LEEF record inside a syslog message: from the first ` LEEF:` after the header (or the start). */
export function leefBody(message: string): string {
  if (message.startsWith('LEEF:')) return message;
  const at = message.indexOf(' LEEF:');
  return at < 0 ? message : message.slice(at + 1);
}

/** `parseLeef` for tests that expect success: the record, or a throw with the reason. */
export function parseLeefOrThrow(line: string): LeefRecord {
  const result = parseLeef(line);
  if (!result.ok) throw new Error(result.reason);
  return result.record;
}
