// TCP syslog framing (RFC 6587): octet counting `LEN SP MSG` or a trailing LF, written straight into Buffers
// so a sink can pack many frames into one ~64 KiB write.
import { InvalidOptionError } from './errors.js';

/** `octet-counting` (RFC 6587 3.4.1, mandatory with TLS per RFC 5425) or `lf` (non-transparent, 3.4.2). */
export type Framing = 'octet-counting' | 'lf';

/** Frames syslog messages into Buffers. */
export interface Framer {
  readonly framing: Framing;
  /**
   * Writes one frame of `message` at `offset` of `target` and returns the bytes written, or `-1` when it does
   * not fit (nothing is written then).
   */
  frameInto(target: Buffer, offset: number, message: string): number;
  /** One frame in its own Buffer, for messages larger than a batch. */
  frame(message: string): Buffer;
  /**
   * With `lf`: how many messages had raw CR or LF replaced by a space (a raw LF would end the frame early and
   * let the rest pose as a second record; CEF never has one, LEEF or free text might).
   */
  readonly lineBreaksReplaced: number;
}

const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[\r\n]/g;

class OctetCountingFramer implements Framer {
  readonly framing = 'octet-counting';
  readonly lineBreaksReplaced = 0;

  frameInto(target: Buffer, offset: number, message: string): number {
    const length = Buffer.byteLength(message);
    const prefix = `${length} `;
    const total = prefix.length + length;
    if (offset + total > target.length) return -1;
    target.write(prefix, offset, 'latin1');
    target.write(message, offset + prefix.length, 'utf8');
    return total;
  }

  frame(message: string): Buffer {
    const length = Buffer.byteLength(message);
    const out = Buffer.allocUnsafe(String(length).length + 1 + length);
    this.frameInto(out, 0, message);
    return out;
  }
}

class LineFeedFramer implements Framer {
  readonly framing = 'lf';
  lineBreaksReplaced = 0;

  private clean(message: string): string {
    if (!LINE_BREAK.test(message)) return message;
    this.lineBreaksReplaced++;
    return message.replace(LINE_BREAKS, ' ');
  }

  frameInto(target: Buffer, offset: number, message: string): number {
    const text = this.clean(message);
    const room = target.length - offset - 1;
    // Skip the byte count when even 3 bytes per UTF-16 unit fits (always true for records well under a batch).
    if (text.length * 3 > room && Buffer.byteLength(text) > room) return -1;
    const written = target.write(text, offset, 'utf8');
    target[offset + written] = 0x0a;
    return written + 1;
  }

  frame(message: string): Buffer {
    const text = this.clean(message);
    const out = Buffer.allocUnsafe(Buffer.byteLength(text) + 1);
    const written = out.write(text, 0, 'utf8');
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
