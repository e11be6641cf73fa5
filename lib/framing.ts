// TCP syslog framing (RFC 6587): octet counting `LEN SP MSG` or a trailing LF, written straight into Buffers
// so a sink can pack many frames into one ~64 KiB write.
import { InvalidOptionError } from './errors.js';

/** `octet-counting` (RFC 6587 3.4.1, mandatory with TLS per RFC 5425) or `lf` (non-transparent, 3.4.2). */
export type Framing = 'octet-counting' | 'lf';

/** Frames syslog messages into Buffers. A message is `head + body`: the syslog header and the record. */
export interface Framer {
  readonly framing: Framing;
  /**
   * Writes one frame of `head + body` at `offset` of `target` and returns the bytes written, or `-1` when it
   * does not fit. Bytes after the returned frame may be used as scratch space (octet counting writes the message
   * a few bytes ahead, then moves it behind its length), so only `offset .. offset + result` is meaningful.
   */
  frameInto(target: Buffer, offset: number, body: string, head?: string): number;
  /** One frame in its own Buffer, for messages larger than a batch. */
  frame(body: string, head?: string): Buffer;
  /**
   * With `lf`: how many messages had raw CR or LF replaced by a space (a raw LF would end the frame early and
   * let the rest pose as a second record; CEF never has one, LEEF or free text might).
   */
  readonly lineBreaksReplaced: number;
}

const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[\r\n]/g;
/** Octet counts are at most 5 digits (RFC 5425 receivers commonly cap messages well below 100,000 bytes). */
const MAX_OCTET_COUNT = 99_999;

const digitCount = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5);

/**
 * Writes `head` at `offset` of `target`, returning its byte count. A sink's header changes at most once per
 * millisecond, so the last one's UTF-8 bytes are kept and copied (a `set` of ~60 bytes instead of a C++ string
 * encode): with the octet count written as digits, framing went from 0.83-0.96 to 0.39-0.44 us per record
 * (bench/syslog-sink.bench.ts "TLS SyslogSink").
 */
class HeadCache {
  private text = '';
  private bytes: Buffer = Buffer.alloc(0);

  write(target: Buffer, offset: number, head: string): number {
    if (head === '') return 0;
    if (head === this.text) {
      target.set(this.bytes, offset);
      return this.bytes.length;
    }
    const n = target.write(head, offset, 'utf8');
    this.text = head;
    this.bytes = Buffer.from(target.subarray(offset, offset + n));
    return n;
  }
}

// Head and body are written separately rather than concatenated: utf8-encoding a concatenated (rope) string
// with non-ASCII text ran at 0.35x writing the two parts (bench/syslog-sink.bench.ts, tmp profile).
class OctetCountingFramer implements Framer {
  readonly framing = 'octet-counting';
  readonly lineBreaksReplaced = 0;
  private readonly head = new HeadCache();

  frameInto(target: Buffer, offset: number, body: string, head = ''): number {
    // Write the message where its length is most likely to end (the UTF-16 length has as many digits as the
    // UTF-8 one unless non-ASCII text crosses a power of ten), so it rarely has to be moved after counting.
    const units = head.length + body.length;
    let exact = -1;
    if (units * 3 > target.length - offset - 6) {
      // Might not fit: count exactly (records well under a batch never get here).
      exact = Buffer.byteLength(head) + Buffer.byteLength(body);
      if (exact > MAX_OCTET_COUNT || offset + digitCount(exact) + 1 + exact > target.length) return -1;
    }
    const guess = digitCount(exact < 0 ? units : exact);
    const start = offset + guess + 1;
    const headBytes = this.head.write(target, start, head);
    const length = headBytes + target.write(body, start + headBytes, 'utf8');
    if (length > MAX_OCTET_COUNT) return -1;
    const digits = digitCount(length);
    if (digits !== guess) {
      if (offset + digits + 1 + length > target.length) return -1;
      target.copyWithin(offset + digits + 1, start, start + length);
    }
    for (let i = offset + digits - 1, n = length; i >= offset; i--, n = (n / 10) | 0)
      target[i] = 48 + (n % 10);
    target[offset + digits] = 0x20;
    return digits + 1 + length;
  }

  frame(body: string, head = ''): Buffer {
    const length = Buffer.byteLength(head) + Buffer.byteLength(body);
    const prefix = `${length} `;
    const out = Buffer.allocUnsafe(prefix.length + length);
    out.write(prefix, 0, 'latin1');
    const headBytes = out.write(head, prefix.length, 'utf8');
    out.write(body, prefix.length + headBytes, 'utf8');
    return out;
  }
}

class LineFeedFramer implements Framer {
  readonly framing = 'lf';
  lineBreaksReplaced = 0;
  private readonly head = new HeadCache();

  private clean(text: string): string {
    if (!LINE_BREAK.test(text)) return text;
    this.lineBreaksReplaced++;
    return text.replace(LINE_BREAKS, ' ');
  }

  frameInto(target: Buffer, offset: number, body: string, head = ''): number {
    const text = this.clean(body);
    const room = target.length - offset - 1;
    // Skip the byte count when even 3 bytes per UTF-16 unit fits (always true for records well under a batch).
    if ((head.length + text.length) * 3 > room && Buffer.byteLength(head) + Buffer.byteLength(text) > room)
      return -1;
    const headBytes = this.head.write(target, offset, head);
    const written = headBytes + target.write(text, offset + headBytes, 'utf8');
    target[offset + written] = 0x0a;
    return written + 1;
  }

  frame(body: string, head = ''): Buffer {
    const text = this.clean(body);
    const out = Buffer.allocUnsafe(Buffer.byteLength(head) + Buffer.byteLength(text) + 1);
    const headBytes = out.write(head, 0, 'utf8');
    const written = headBytes + out.write(text, headBytes, 'utf8');
    out[written] = 0x0a;
    return out;
  }
}

/**
 * Returns a framer for `framing`. Throws `InvalidOptionError` for an unknown framing.
 *
 * @example
 * ```ts
 * import { createFramer } from 'siemkit';
 * createFramer('octet-counting').frame('<86>1 ... CEF:0|...'); // Buffer '270 <86>1 ...'
 * ```
 */
export function createFramer(framing: Framing): Framer {
  if (framing === 'octet-counting') return new OctetCountingFramer();
  if (framing === 'lf') return new LineFeedFramer();
  throw new InvalidOptionError('framing', `must be "octet-counting" or "lf", got ${JSON.stringify(framing)}`);
}
