// A strict CEF parser written from the spec (wire-formats.md 1.2-1.5), independent of the encoder:
// it rejects anything the spec does not allow instead of guessing, so a test passes only on exact output.

export interface ParsedCef {
  version: string;
  vendor: string;
  product: string;
  productVersion: string;
  classId: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
}

function unescapeHeader(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next !== '\\' && next !== '|') throw new Error(`header: undefined escape \\${next ?? '(end)'}`);
    out += next;
  }
  return out;
}

const EXTENSION_ESCAPES: Record<string, string> = { '\\': '\\', '=': '=', n: '\n', r: '\r' };

/** Parses one CEF line; throws with a reason on anything malformed. */
export function parseCef(line: string, options: { spaceBeforeExtension?: boolean } = {}): ParsedCef {
  if (/[\r\n]/.test(line)) throw new Error('raw CR or LF inside a record');
  if (!line.startsWith('CEF:')) throw new Error('does not start with CEF:');
  // Header: split on unescaped pipes; exactly 7 fields before the extension.
  const fields: string[] = [];
  let start = 4;
  let i = 4;
  while (fields.length < 7) {
    if (i >= line.length) throw new Error(`header has ${fields.length} fields, needs 7`);
    const c = line[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '|') {
      fields.push(unescapeHeader(line.slice(start, i)));
      start = i + 1;
    }
    i++;
  }
  const [version, vendor, product, productVersion, classId, name, severity] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^(0|1)$/.test(version)) throw new Error(`bad version ${version}`);
  if (!/^(10|[0-9])$/.test(severity)) throw new Error(`bad severity ${severity}`);
  return {
    version,
    vendor,
    product,
    productVersion,
    classId,
    name,
    severity,
    extension: parseExtension(extensionText(line.slice(start), options.spaceBeforeExtension ?? false)),
  };
}

/** The one space liblognorm needs (issue 363) is allowed only when the encoder was told to write it. */
function extensionText(text: string, spaceBeforeExtension: boolean): string {
  if (!spaceBeforeExtension) return text;
  if (!text.startsWith(' ')) throw new Error('expected one space before the extension');
  return text.slice(1);
}

/**
 * Extension: `key=value` pairs separated by spaces; a key is `[A-Za-z][A-Za-z0-9]*` followed by an unescaped `=`;
 * a value runs to the space before the next key; `\\`, `\=`, `\n`, `\r` are the only escapes; a raw `=` inside
 * a value is an error (it would be read as a new key by lenient parsers).
 */
export function parseExtension(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === '') return out;
  // Token positions of "key=" starts: at 0 or after a space, key chars, then an unescaped '='.
  const keyAt: { key: string; start: number; valueStart: number }[] = [];
  const keyPattern = /(^| )([A-Za-z][A-Za-z0-9]*)=/g;
  for (let m = keyPattern.exec(text); m; m = keyPattern.exec(text)) {
    const eq = m.index + m[0].length - 1;
    // The '=' must be unescaped: count the backslashes before it.
    let backslashes = 0;
    for (let j = eq - 1; j >= 0 && text[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 1) continue;
    keyAt.push({ key: m[2]!, start: m.index + m[1]!.length, valueStart: eq + 1 });
    keyPattern.lastIndex = eq + 1;
  }
  if (keyAt.length === 0 || keyAt[0]!.start !== 0)
    throw new Error(`extension does not start with a key: ${JSON.stringify(text.slice(0, 40))}`);
  for (let k = 0; k < keyAt.length; k++) {
    const { key, valueStart } = keyAt[k]!;
    const end = k + 1 < keyAt.length ? keyAt[k + 1]!.start - 1 : text.length;
    const raw = text.slice(valueStart, end);
    if (key in out) throw new Error(`key ${key} twice`);
    if (raw === '') throw new Error(`empty value for ${key}`);
    let value = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (c === '=') throw new Error(`unescaped = in value of ${key}`);
      if (c !== '\\') {
        value += c;
        continue;
      }
      const escaped = EXTENSION_ESCAPES[raw[++i] ?? ''];
      if (escaped === undefined) throw new Error(`undefined escape in value of ${key}`);
      value += escaped;
    }
    out[key] = value;
  }
  return out;
}
