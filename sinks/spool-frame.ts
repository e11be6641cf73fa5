// One spool record on disk: a 16-byte header, the syslog frame exactly as it goes on the wire, and a CRC-32
// trailer over both. The header carries what the spool needs without parsing the record: its length, and its
// event kind and time (for the drop summary). The trailer makes a torn or flipped write detectable; one CRC
// call over header and payload together, since a second call per record cost 5% of the write-ahead path
// (bench/spool.bench.ts profile).
import { crc32 } from 'node:zlib'; // Node >= 20.15 has zlib.crc32 (native); package.json asks for >= 20

/** First byte of every record: 0xF5 never occurs in UTF-8 text, which keeps resync scans short. */
export const FRAME_MAGIC = 0xf5;
/** Second byte: the layout version. */
export const FRAME_VERSION = 1;
/** Bytes before the payload. */
export const FRAME_HEADER_BYTES = 16;
/** Bytes a record adds to its payload: header and CRC trailer. */
export const FRAME_OVERHEAD_BYTES = 20;
/** A record longer than this is refused at append and taken for corruption when read. */
export const MAX_FRAME_PAYLOAD_BYTES = 16 * 1024 * 1024;

// Layout (little endian): 0 magic 0xF5 | 1 version | 2 kind u8 | 3 reserved 0 | 4 payload length u32 |
// 8 event time f64 | 16 payload | crc32 of bytes 0 .. 16 + length, u32.

/** Writes the record at `offset` in `target` (which must have room); returns the bytes written. */
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
  payload.copy(target, offset + FRAME_HEADER_BYTES);
  const end = offset + FRAME_HEADER_BYTES + payload.length;
  target.writeUInt32LE(crc32(target.subarray(offset, end)), end);
  return FRAME_OVERHEAD_BYTES + payload.length;
}

/** A header read back: `length` is the payload length. */
export interface FrameHeader {
  kind: number;
  length: number;
  timeMs: number;
}

/** Parses the header at `offset` (16 bytes must be there); null when the magic or length is implausible. */
export function readFrameHeader(source: Buffer, offset: number): FrameHeader | null {
  if (source[offset] !== FRAME_MAGIC || source[offset + 1] !== FRAME_VERSION || source[offset + 3] !== 0)
    return null;
  const length = source.readUInt32LE(offset + 4);
  if (length === 0 || length > MAX_FRAME_PAYLOAD_BYTES) return null;
  return { kind: source[offset + 2]!, length, timeMs: source.readDoubleLE(offset + 8) };
}

/** Whether the whole record at `offset` (all `FRAME_OVERHEAD_BYTES + length` bytes present) has a matching CRC. */
export function frameChecks(source: Buffer, offset: number, length: number): boolean {
  const end = offset + FRAME_HEADER_BYTES + length;
  return crc32(source.subarray(offset, end)) === source.readUInt32LE(end);
}
