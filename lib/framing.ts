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
// Room for the decimal length and its space in front of a message inside one batch (lengths < 100,000).
const LENGTH_ROOM = 6;

// Head and body are written separately rather than concatenated: utf8-encoding a concatenated (rope) string
// with non-ASCII text ran at 0.35x writing the two parts (bench/syslog-sink.bench.ts, tmp profile).
class OctetCountingFramer implements Framer {
  readonly framing = 'octet-counting';
  readonly lineBreaksReplaced = 0;

  frameInto(target: Buffer, offset: number, body: string, head = ''): number {
    const start = offset + LENGTH_ROOM;
    const room = target.length - start;
    // Write first and count after: skips a separate Buffer.byteLength pass over the record.
    if (room <= 0) return -1;
    if ((head.length + body.length) * 3 > room && Buffer.byteLength(head) + Buffer.byteLength(body) > room)
      return -1;
    const headBytes = head === '' ? 0 : target.write(head, start, 'utf8');
    const length = headBytes + target.write(body, start + headBytes, 'utf8');
    if (length >= 100_000) return -1;
    const prefix = `${length} `;
    target.copyWithin(offset + prefix.length, start, start + length);
    target.write(prefix, offset, 'latin1');
    return prefix.length + length;
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
    const headBytes = head === '' ? 0 : target.write(head, offset, 'utf8');
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
