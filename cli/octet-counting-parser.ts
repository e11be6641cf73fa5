/**
 * Splits a byte stream framed by octet counting (RFC 6587 / RFC 5425: `LEN SP MESSAGE`) into messages,
 * across chunk boundaries. Throws on a malformed length, since nothing after it can be trusted.
 */
export class OctetCountingParser {
  #pending: Buffer = Buffer.alloc(0);
  static readonly MAX_DIGITS = 9;

  /** Adds received bytes; returns the messages completed by them, in order. */
  push(chunk: Buffer): Buffer[] {
    let data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      const space = data.indexOf(0x20);
      if (space === -1) {
        if (data.length > OctetCountingParser.MAX_DIGITS) throw new Error('frame length too long');
        break;
      }
      const digits = data.subarray(0, space).toString('latin1');
      if (!/^[1-9]\d{0,8}$/.test(digits)) throw new Error(`bad frame length "${digits.slice(0, 20)}"`);
      const length = Number(digits);
      const end = space + 1 + length;
      if (data.length < end) break;
      messages.push(data.subarray(space + 1, end));
      data = data.subarray(end);
    }
    this.#pending = Buffer.from(data);
    return messages;
  }

  /** Bytes of an unfinished frame. */
  get pendingBytes(): number {
    return this.#pending.length;
  }
}
