// One spool record on disk: a 20-byte header, then the syslog frame exactly as it goes on the wire.
// The header carries what the spool needs without parsing the record: its length, its event kind and time
// (for the drop summary), and a CRC-32 over header and payload so a torn or flipped write is detected.
import { crc32 } from 'node:zlib'; // Node >= 20.15 has zlib.crc32 (native); package.json asks for >= 20

/** First byte of every record: 0xF5 never occurs in UTF-8 text, which keeps resync scans short. */
export const FRAME_MAGIC = 0xf5;
/** Second byte: the layout version. */
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 20;
/** A record longer than this is refused at append and taken for corruption when read. */
export const MAX_FRAME_PAYLOAD_BYTES = 16 * 1024 * 1024;

// Layout (little endian): 0 magic 0xF5 | 1 version | 2 kind u8 | 3 reserved u8 | 4 payload length u32 | 8 event time f64 |
// 16 crc32 of bytes 0-15 and the payload.

/** Writes header + payload at `offset` in `target`; returns the bytes written. `target` must have room. */
export function writeFrame(
  target: Buffer,
  offset: number,
  payload: Buffer,
  kind: number,
  timeMs: number,
): number {
  target[offset] = FRAME_MAGIC;
  target[offset + 1] = FRAME_VERSION;
  target[offset + 2] = kind;
  target[offset + 3] = 0;
  target.writeUInt32LE(payload.length, offset + 4);
  target.writeDoubleLE(timeMs, offset + 8);
  const crc = crc32(payload, crc32(target.subarray(offset, offset + 16)));
  target.writeUInt32LE(crc, offset + 16);
  payload.copy(target, offset + FRAME_HEADER_BYTES);
  return FRAME_HEADER_BYTES + payload.length;
}

/** A header read back: `length` is the payload length. */
export interface FrameHeader {
  kind: number;
  length: number;
  timeMs: number;
}

/** Parses the header at `offset` (20 bytes must be there); null when the magic or length is implausible. */
export function readFrameHeader(source: Buffer, offset: number): FrameHeader | null {
  if (source[offset] !== FRAME_MAGIC || source[offset + 1] !== FRAME_VERSION || source[offset + 3] !== 0)
    return null;
  const length = source.readUInt32LE(offset + 4);
  if (length === 0 || length > MAX_FRAME_PAYLOAD_BYTES) return null;
  return { kind: source[offset + 2]!, length, timeMs: source.readDoubleLE(offset + 8) };
}

/** Whether the whole frame at `offset` (header and `length` payload bytes present) has a matching CRC. */
export function frameChecks(source: Buffer, offset: number, length: number): boolean {
  const crc = crc32(
    source.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length),
    crc32(source.subarray(offset, offset + 16)),
  );
  return crc === source.readUInt32LE(offset + 16);
}
