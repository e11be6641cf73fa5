// Escaping and neutralising for CEF and LEEF, one left-to-right pass each (so escapes are never
// doubled), with a regex-test fast path that returns the input untouched when nothing needs work.
// A precompiled regex `test` measured 1.3x faster than a charCodeAt scan (bench/format.bench.ts).

/**
 * Counters an encoder keeps: values cut to their field's limit, and characters that had to be replaced
 * because the format has no escape for them (control characters, LEEF delimiters, lone surrogates).
 */
export interface EncoderStats {
  truncated: number;
  neutralised: number;
}

/** Characters that stand for a line break somewhere (C1 NEL, U+2028, U+2029) or are not text (C0, DEL, C1). */
const CONTROL = '\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029';
// Lone surrogates are not in the fast-path test: UTF-8 encoding writes them as U+FFFD anyway, and the
// test ran 1.5x slower with the surrogate range (bench/format.bench.ts). The slow path replaces them itself.

export const CEF_VALUE_SPECIAL = new RegExp(`[\\\\=${CONTROL}]`);
export const CEF_HEADER_SPECIAL = new RegExp(`[\\\\|${CONTROL}]`);
/** What only the slow path can rewrite: controls and surrogates (which may be lone). */
const NEEDS_REWRITE = new RegExp(`[${CONTROL}\\ud800-\\udfff]`);
const BACKSLASHES = /\\/g;
const EQUALS = /=/g;

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

type Replacer = (codePoint: number) => string | undefined;

/**
 * The slow path: maps every code point through `replace` (undefined = keep), replaces lone surrogates
 * with U+FFFD, and stops before the escaped UTF-8 length would pass `maxBytes`, never inside an escape
 * or a surrogate pair.
 */
function rewrite(value: string, replace: Replacer, maxBytes: number, stats: EncoderStats): string {
  let out = '';
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    let cp = value.charCodeAt(i);
    let piece: string;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        piece = value[i]! + value[i + 1]!;
        i++;
      } else {
        cp = 0xfffd;
        piece = '\ufffd';
        stats.neutralised++;
      }
    } else {
      const replaced = replace(cp);
      if (replaced === undefined) {
        piece = value[i]!;
      } else {
        piece = replaced;
        if (replaced.length === 1) stats.neutralised++; // a one-character replacement loses the original
      }
    }
    const pieceBytes =
      piece.length === 1
        ? utf8Length(piece.charCodeAt(0))
        : piece.length === 2 && cp > 0xffff
          ? 4
          : piece.length;
    if (bytes + pieceBytes > maxBytes) {
      stats.truncated++;
      return out;
    }
    bytes += pieceBytes;
    out += piece;
  }
  return out;
}

const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029;

const cefValueReplace: Replacer = (cp) => {
  if (cp === 0x5c) return '\\\\';
  if (cp === 0x3d) return '\\=';
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  return isControl(cp) ? ' ' : undefined;
};

const cefHeaderReplace: Replacer = (cp) => {
  if (cp === 0x5c) return '\\\\';
  if (cp === 0x7c) return '\\|';
  return isControl(cp) ? ' ' : undefined;
};

/** Whether a string of this many UTF-16 units could exceed `maxBytes` of UTF-8 (3 bytes per unit at most). */
const mayExceed = (value: string, maxBytes: number) =>
  value.length * 3 > maxBytes && Buffer.byteLength(value) > maxBytes;

/** CEF extension value: `\`→`\\`, `=`→`\=`, LF→`\n`, CR→`\r`, other controls → space; cut to `maxBytes`. */
export function escapeCefValue(value: string, maxBytes: number, stats: EncoderStats): string {
  if (!CEF_VALUE_SPECIAL.test(value) && !mayExceed(value, maxBytes)) return value;
  // Only `\` and `=` (URLs with a query: most session records) and too short to be cut, since an escaped
  // unit is 2 bytes and any other at most 3: one native replace, not the per-character rewrite.
  // (bench/format.bench.ts "siemkit CEF")
  // Two single-character replaces with `$`-free replacements stay on V8's fast path; one `[\\=]` with
  // `\\$&` spent 11% of the CEF profile parsing the replacement.
  if (value.length * 3 <= maxBytes && !NEEDS_REWRITE.test(value)) {
    const slashes = value.includes('\\') ? value.replace(BACKSLASHES, '\\\\') : value;
    return slashes.replace(EQUALS, '\\=');
  }
  return rewrite(value, cefValueReplace, maxBytes, stats);
}

/** CEF header field: `\`→`\\`, `|`→`\|`, controls (CR and LF included) → space; cut to `maxBytes`. */
export function escapeCefHeader(value: string, maxBytes: number, stats: EncoderStats): string {
  if (!CEF_HEADER_SPECIAL.test(value) && !mayExceed(value, maxBytes)) return value;
  return rewrite(value, cefHeaderReplace, maxBytes, stats);
}

/**
 * LEEF attribute value. LEEF defines no escapes, so the active delimiter and every control character
 * (CR and LF included) become a space, counted in `stats.neutralised`; cut to `maxBytes`.
 */
export function createLeefNeutraliser(
  delimiter: string,
): ((value: string, maxBytes: number, stats: EncoderStats) => string) & { special: RegExp } {
  const delimiterCode = delimiter.codePointAt(0)!;
  // The delimiter is one BMP character (settings and the encoder check); escape it for the class.
  const special = new RegExp(`[${delimiter.replace(/[\\\]^-]/g, '\\$&')}${CONTROL}]`);
  const replace: Replacer = (cp) => (cp === delimiterCode || isControl(cp) ? ' ' : undefined);
  const neutralise = (value: string, maxBytes: number, stats: EncoderStats) => {
    if (!special.test(value) && !mayExceed(value, maxBytes)) return value;
    return rewrite(value, replace, maxBytes, stats);
  };
  return Object.assign(neutralise, { special });
}
