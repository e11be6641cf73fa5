// Append-only segment spool: the write-ahead log behind SyslogSink when `forwarding.spool` is set.
// Records are appended to size-capped segment files and read back in order, in chunks, so memory stays
// bounded whatever the backlog. A segment is deleted only once every record in it was acknowledged by the
// sink (handed to the socket and out of its replay window). All I/O is synchronous on purpose: appends and
// reads hit the page cache (tens of microseconds per 64 KiB), and one thread of control means no
// read/write/delete races between a reader and a writer of the same segment.

import { EventEmitter } from 'node:events';
import {
  closeSync,
  constants,
  fdatasync,
  fdatasyncSync,
  fsync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  unlink,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { DropSummary } from '../lib/drop-summary.js';
import { InvalidOptionError } from '../lib/errors.js';
import { EVENT_KINDS } from '../lib/events.js';
import type { Settings } from '../lib/settings.js';
import { diskSpoolOptionsFromSettings } from './disk-spool-settings.js';
import { SpoolCorruptError, SpoolIoError } from './spool-errors.js';
import {
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_OVERHEAD_BYTES,
  frameChecks,
  MAX_FRAME_PAYLOAD_BYTES,
  readFrameHeader,
  writeFrame,
} from './spool-frame.js';

/** Which records go when the spool reaches `maxBytes`. */
export type SpoolDropPolicy = 'oldest' | 'newest';

/** Options of {@link DiskSpool}. */
export interface DiskSpoolOptions {
  /** Folder of the segment files; created if missing. Required. */
  path: string;
  /** Cap on the spool's bytes on disk; null = only the disk's free space. @defaultValue `null` */
  maxBytes?: number | null;
  /** `oldest` deletes the oldest segment to make room; `newest` refuses the record being written. @defaultValue `'oldest'` */
  dropPolicy?: SpoolDropPolicy;
  /** Size at which a segment is closed and a new one started. @defaultValue min(8 MiB, max(256 KiB, maxBytes / 8)) */
  segmentBytes?: number;
  /**
   * How often the segment being written is fsync'ed; null = never (records still survive a process crash or
   * `kill -9`, since the page cache belongs to the kernel, but not a power loss). @defaultValue `1000`
   */
  fsyncIntervalMs?: number | null;
  /** Event kinds counted separately in drop statistics; others count as `other`. */
  kinds?: readonly string[];
  /** Minimum time between two drop summaries handed to the sink. @defaultValue `10000` */
  summaryIntervalMs?: number;
}

/** Records read back from the spool, ready to send: whole syslog frames in order. */
export interface SpoolChunk {
  frames: Buffer;
  records: number;
  /** Pass to {@link DiskSpool.ack} once these records are safe (sent and out of the replay window). */
  token: number;
  /** Drops to report into the SIEM before these records, if any happened since the last report. */
  dropped?: DropSummary;
}

/** Counters of a {@link DiskSpool}. */
export interface DiskSpoolStats {
  /** Records in the spool not yet handed to the sink. */
  records: number;
  /** Bytes of the spool on disk (and in its 64 KiB write buffer). */
  bytes: number;
  segments: number;
  /** Records appended since open. */
  appended: number;
  /** Records a previous process left unsent, found at open. */
  recovered: number;
  /** Records read again after a restart that had been handed to a socket before it (possible duplicates). */
  resent: number;
  /** Records dropped by the drop policy or lost to a failed write, in total and per kind. */
  dropped: number;
  droppedByKind: Record<string, number>;
  /** Corrupt regions found, and bytes skipped over them. */
  corruptions: number;
  skippedBytes: number;
}

/** Events of {@link DiskSpool}. */
export interface DiskSpoolEvents {
  /** A corrupt region was skipped; the records after it are still delivered. */
  corrupt: [SpoolCorruptError];
  /** A file operation failed. */
  error: [SpoolIoError];
  /** Records were dropped (full spool, failed write, record too large), per kind. */
  drop: [{ records: number; kind: string }];
}

interface Segment {
  seq: number;
  name: string;
  /** Bytes in the file (for the active segment: bytes written so far). */
  size: number;
}

interface KindTally {
  counts: number[];
  records: number;
  minMs: number;
  maxMs: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const SEGMENT_NAME = /^(\d{10})\.seg$/;
const CURSOR_FILE = 'cursor';
const DROPS_FILE = 'drops.json';
const CURSOR_MAGIC = 0x314b4353; // 'SCK1'
const CURSOR_BYTES = 24;
const POS_SCALE = 2 ** 32;

/** A position as one number: segment sequence * 2^32 + offset (offsets stay below 4 GiB). */
const pos = (seq: number, offset: number) => seq * POS_SCALE + offset;
const segmentName = (seq: number) => `${String(seq).padStart(10, '0')}.seg`;

const emptyTally = (kinds: number): KindTally => ({
  counts: new Array<number>(kinds).fill(0),
  records: 0,
  minMs: Number.POSITIVE_INFINITY,
  maxMs: Number.NEGATIVE_INFINITY,
});

/**
 * A disk spool of syslog frames: append (write-ahead), read in order, acknowledge, and delete what was
 * acknowledged. Each record is framed with its length and a CRC-32; a torn or corrupted region is reported
 * (`'corrupt'`, `SIEMKIT_ERR_SPOOL_CORRUPT` with segment and offset) and skipped, and the records after it
 * are delivered. A new process opening the same folder continues after the last acknowledged record.
 *
 * @example
 * ```ts
 * import { DiskSpool, SyslogSink } from 'siemkit/sinks';
 * const spool = DiskSpool.open({ path: '/var/lib/siemkit/spool', maxBytes: 1 << 30 });
 * const sink = new SyslogSink({ destinations: [{ host: 'siem', port: 514 }], spool });
 * ```
 */
export class DiskSpool extends EventEmitter<DiskSpoolEvents> {
  /** Opens (or creates) the spool folder, recovering what a previous process left. Throws `SpoolIoError`. */
  static open(options: DiskSpoolOptions): DiskSpool {
    return new DiskSpool(options);
  }

  /** Opens the spool `forwarding.spool` describes, or returns null when it is disabled. */
  static fromSettings(settings: Settings, overrides: Partial<DiskSpoolOptions> = {}): DiskSpool | null {
    const options = diskSpoolOptionsFromSettings(settings);
    return options ? new DiskSpool({ ...options, ...overrides }) : null;
  }

  readonly path: string;
  private readonly maxBytes: number | null;
  private readonly dropPolicy: SpoolDropPolicy;
  private readonly segmentBytes: number;
  private readonly kindNames: string[];
  private readonly kindIndex = new Map<string, number>();
  private readonly summaryIntervalMs: number;

  private readonly segments: Segment[] = [];
  private diskBytes = 0;
  private activeFd = -1;
  private active!: Segment;
  private dirty = false;
  private dirDirty = false;
  private readonly syncMs: number | null;
  /** fsyncs in flight per fd, and fds to close when theirs finish. */
  private readonly syncing = new Map<number, number>();
  private readonly retired = new Set<number>();
  /** Write buffer: 64 KiB, or the segment size if smaller, so one write never overshoots a segment much. */
  private readonly wbuf: Buffer;
  private wlen = 0;
  private wtally: KindTally;
  private commitScheduled = false;

  private readSeq = 0;
  private readOff = 0;
  private readFd = -1;
  private readFdSeq = -1;
  private rbuf = Buffer.allocUnsafe(64 * KiB);
  /** Positions handed out and not yet acknowledged, oldest first. */
  private readonly outstanding: Array<{ end: number; acked: boolean }> = [];
  private ackPos: number;
  /** Records before this position were handed out by a previous process (counted as `resent`). */
  private resendUntil = 0;
  private readonly cursorFd: number;

  private pending: DropSummary | null = null;
  private lastSummaryAt = 0;
  private saveDropsTimer: NodeJS.Timeout | undefined;
  private readonly fsyncTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters = {
    records: 0,
    appended: 0,
    recovered: 0,
    resent: 0,
    dropped: 0,
    corruptions: 0,
    skippedBytes: 0,
  };
  private readonly droppedByKind: number[];

  private constructor(options: DiskSpoolOptions) {
    super();
    if (typeof options.path !== 'string' || options.path === '')
      throw new InvalidOptionError('path', 'must be a folder path');
    this.path = options.path;
    this.maxBytes = options.maxBytes ?? null;
    if (this.maxBytes !== null && (!Number.isInteger(this.maxBytes) || this.maxBytes < MiB))
      throw new InvalidOptionError('maxBytes', `must be an integer >= ${MiB} or null, got ${this.maxBytes}`);
    this.dropPolicy = options.dropPolicy ?? 'oldest';
    if (this.dropPolicy !== 'oldest' && this.dropPolicy !== 'newest')
      throw new InvalidOptionError(
        'dropPolicy',
        `must be "oldest" or "newest", got ${String(this.dropPolicy)}`,
      );
    // At least 8 segments under the cap, so dropping the oldest frees a small share, not half the spool.
    this.segmentBytes =
      options.segmentBytes ??
      Math.min(8 * MiB, Math.max(256 * KiB, Math.floor((this.maxBytes ?? 64 * MiB) / 8)));
    if (!Number.isInteger(this.segmentBytes) || this.segmentBytes < 4 * KiB)
      throw new InvalidOptionError('segmentBytes', `must be an integer >= 4096, got ${this.segmentBytes}`);
    this.wbuf = Buffer.allocUnsafe(Math.min(64 * KiB, this.segmentBytes));
    this.summaryIntervalMs = options.summaryIntervalMs ?? 10_000;
    this.kindNames = ['other', ...(options.kinds ?? EVENT_KINDS)];
    if (this.kindNames.length > 256) throw new InvalidOptionError('kinds', 'at most 255 kinds');
    this.kindNames.forEach((k, i) => {
      this.kindIndex.set(k, i);
    });
    this.wtally = emptyTally(this.kindNames.length);
    this.droppedByKind = new Array<number>(this.kindNames.length).fill(0);

    try {
      mkdirSync(this.path, { recursive: true });
      for (const name of readdirSync(this.path).sort()) {
        const m = SEGMENT_NAME.exec(name);
        if (!m) continue;
        const size = statSync(join(this.path, name)).size;
        this.segments.push({ seq: Number(m[1]), name, size });
        this.diskBytes += size;
      }
      // Not 'a+': O_APPEND would turn the positioned cursor writes into appends.
      this.cursorFd = openSync(join(this.path, CURSOR_FILE), constants.O_RDWR | constants.O_CREAT);
    } catch (error) {
      throw new SpoolIoError(this.path, 'open', error);
    }
    this.ackPos = this.recoverCursor();
    this.loadDrops();
    // Never append to a segment a previous process wrote: its tail may be torn, and a torn frame followed by
    // good ones is exactly what the reader's resync handles, but only between segments it knows are complete.
    const last = this.segments.at(-1);
    this.openActive((last?.seq ?? 0) + 1);
    this.counters.records = this.countUnread();
    this.counters.recovered = this.counters.records;
    const syncMs = options.fsyncIntervalMs === undefined ? 1000 : options.fsyncIntervalMs;
    this.syncMs = syncMs;
    if (syncMs !== null) {
      this.fsyncTimer = setInterval(() => this.sync(), syncMs);
      this.fsyncTimer.unref();
    }
  }

  /** A snapshot of the counters. */
  get stats(): DiskSpoolStats {
    const droppedByKind: Record<string, number> = {};
    this.droppedByKind.forEach((n, i) => {
      if (n > 0) droppedByKind[this.kindNames[i]!] = n;
    });
    return {
      records: this.counters.records,
      bytes: this.diskBytes + this.wlen,
      segments: this.segments.length,
      appended: this.counters.appended,
      recovered: this.counters.recovered,
      resent: this.counters.resent,
      dropped: this.counters.dropped,
      droppedByKind,
      corruptions: this.counters.corruptions,
      skippedBytes: this.counters.skippedBytes,
    };
  }

  /** Whether nothing is left to hand out (outstanding records may still await their acknowledgement). */
  get empty(): boolean {
    if (this.pending !== null || this.wlen > 0) return false;
    // By position, not by the record count: a corrupt region holds records the count cannot know about.
    for (const seg of this.segments) {
      if (seg.seq > this.readSeq ? seg.size > 0 : seg.seq === this.readSeq && this.readOff < seg.size)
        return false;
    }
    this.counters.records = 0;
    return true;
  }

  // --- writing ------------------------------------------------------------------------------------------------

  /**
   * Appends one syslog frame. It reaches the file within the current event-loop turn (or at once when the
   * 64 KiB write buffer fills); call {@link commit} to force it. Returns false when the record was dropped
   * (policy `newest` with a full spool, or a record over 16 MiB); the drop is counted under `kind`.
   */
  append(frame: Buffer, kind: string | undefined, timeMs: number): boolean {
    const k = (kind === undefined ? 0 : this.kindIndex.get(kind)) ?? 0;
    if (this.closed || frame.length === 0 || frame.length > MAX_FRAME_PAYLOAD_BYTES) {
      this.countDrop(k, timeMs, 1);
      return false;
    }
    const need = FRAME_OVERHEAD_BYTES + frame.length;
    if (this.maxBytes !== null && this.diskBytes + this.wlen + need > this.maxBytes && !this.makeRoom(need)) {
      this.countDrop(k, timeMs, 1);
      return false;
    }
    if (this.wlen + need > this.wbuf.length) {
      this.commit();
      if (need > this.wbuf.length) {
        // Bigger than the write buffer: a write of its own.
        const big = Buffer.allocUnsafe(need);
        writeFrame(big, 0, frame, k, timeMs);
        const tally = emptyTally(this.kindNames.length);
        this.tally(tally, k, timeMs);
        this.writeOut(big, tally);
        return true;
      }
    }
    this.wlen += writeFrame(this.wbuf, this.wlen, frame, k, timeMs);
    this.tally(this.wtally, k, timeMs);
    if (!this.commitScheduled) {
      this.commitScheduled = true;
      setImmediate(this.commitSoon);
    }
    return true;
  }

  private readonly commitSoon = () => {
    this.commitScheduled = false;
    this.commit();
  };

  /** Writes the write buffer to the active segment (page cache: it now survives a crash of this process). */
  commit(): void {
    if (this.wlen === 0 || this.closed) return;
    const data = this.wbuf.subarray(0, this.wlen);
    const tally = this.wtally;
    this.wtally = emptyTally(this.kindNames.length);
    this.wlen = 0;
    this.writeOut(data, tally);
  }

  private tally(t: KindTally, kind: number, timeMs: number): void {
    t.counts[kind]!++;
    t.records++;
    if (timeMs < t.minMs) t.minMs = timeMs;
    if (timeMs > t.maxMs) t.maxMs = timeMs;
  }

  private writeOut(data: Buffer, tally: KindTally): void {
    if (this.active.size > 0 && this.active.size + data.length > this.segmentBytes) this.roll();
    try {
      let done = 0;
      while (done < data.length) done += writeSync(this.activeFd, data, done, data.length - done);
    } catch (error) {
      // Disk full or gone: these records cannot be kept. Count them, never pretend.
      this.failed('write', error);
      this.countTally(tally);
      return;
    }
    this.active.size += data.length;
    this.diskBytes += data.length;
    this.dirty = true;
    this.counters.appended += tally.records;
    this.counters.records += tally.records;
  }

  private openActive(seq: number): void {
    const name = segmentName(seq);
    try {
      this.activeFd = openSync(join(this.path, name), 'wx');
    } catch (error) {
      throw new SpoolIoError(join(this.path, name), 'create', error);
    }
    this.active = { seq, name, size: 0 };
    this.segments.push(this.active);
    this.dirDirty = true;
  }

  /** Closes the active segment (fsync'ed when fsync is on, so a complete segment is durable) and starts the next. */
  private roll(): void {
    this.sync();
    this.retire(this.activeFd);
    this.openActive(this.active.seq + 1);
  }

  /**
   * fsyncs the active segment if it changed, on the thread pool: a synchronous fdatasync of a few MiB blocked
   * the event loop for 8% of the write-ahead path (bench/spool.bench.ts profile).
   */
  private sync(): void {
    if (this.dirDirty && this.syncMs !== null) {
      // A new segment's directory entry must be durable too, or a power loss could lose the whole file.
      this.dirDirty = false;
      try {
        const dirFd = openSync(this.path, 'r');
        fsync(dirFd, (error) => {
          if (error) this.failed('fsync', error);
          closeSync(dirFd);
        });
      } catch (error) {
        this.failed('fsync', error);
      }
    }
    if (!this.dirty || this.activeFd < 0 || this.syncMs === null) return;
    this.dirty = false;
    const fd = this.activeFd;
    this.syncing.set(fd, (this.syncing.get(fd) ?? 0) + 1);
    fdatasync(fd, (error) => {
      if (error) this.failed('fsync', error);
      const left = this.syncing.get(fd)! - 1;
      if (left > 0) {
        this.syncing.set(fd, left);
        return;
      }
      this.syncing.delete(fd);
      if (this.retired.delete(fd)) closeSync(fd);
    });
  }

  /** Closes a segment's fd once no fsync of it is in flight. */
  private retire(fd: number): void {
    if (this.syncing.has(fd)) this.retired.add(fd);
    else closeSync(fd);
  }

  /** Policy `oldest`: deletes whole segments from the front until `need` more bytes fit. */
  private makeRoom(need: number): boolean {
    if (this.dropPolicy === 'newest') return false;
    const max = this.maxBytes!;
    while (this.diskBytes + this.wlen + need > max) {
      const oldest = this.segments[0]!;
      if (oldest === this.active) {
        if (this.active.size === 0 && this.wlen === 0) return false; // one record larger than the cap
        this.commit();
        if (this.active.size === 0) return false;
        this.roll();
        continue;
      }
      // The records of this segment nobody read yet are the ones lost; those handed out were sent.
      const from = oldest.seq === this.readSeq ? this.readOff : oldest.seq > this.readSeq ? 0 : oldest.size;
      const lost = this.scan(oldest, from);
      this.countTally(lost);
      this.counters.records -= lost.records;
      this.deleteSegment(oldest);
      if (this.readSeq <= oldest.seq) {
        this.readSeq = this.segments[0]!.seq;
        this.readOff = 0;
      }
    }
    return true;
  }

  // --- reading ------------------------------------------------------------------------------------------------

  /**
   * Hands out the next records in order, up to about `maxBytes` (at least one record), or null when there is
   * nothing to send. A drop summary pending for at least `summaryIntervalMs` comes along in `dropped`. The
   * frames are copied into `into` when it has room for `maxBytes`: reusing the caller's buffers keeps a long
   * drain from piling up garbage buffers (peak RSS 305 MB with a fresh 64 KiB buffer per chunk, bench/outage).
   */
  read(maxBytes: number, into?: Buffer): SpoolChunk | null {
    if (this.closed) return null;
    let out: Buffer | undefined;
    let outBytes = 0;
    let records = 0;
    while (records === 0) {
      const seg = this.segmentAt(this.readSeq);
      if (!seg) break;
      if (seg.seq !== this.readSeq) {
        this.readSeq = seg.seq;
        this.readOff = 0;
      }
      if (this.readOff >= seg.size) {
        if (seg === this.active) {
          if (this.wlen === 0) break;
          this.commit();
          continue;
        }
        const next = this.segmentAt(seg.seq + 1);
        if (!next) break;
        this.readSeq = next.seq;
        this.readOff = 0;
        continue;
      }
      const fd = this.readerFd(seg);
      const want = Math.min(this.rbuf.length, seg.size - this.readOff);
      const n = readSync(fd, this.rbuf, 0, want, this.readOff);
      let p = 0;
      while (p + FRAME_HEADER_BYTES <= n) {
        const at = this.readOff + p;
        const header = readFrameHeader(this.rbuf, p);
        if (!header) {
          p = this.resync(seg, at, 'bad-header') - this.readOff;
          break;
        }
        const size = FRAME_OVERHEAD_BYTES + header.length;
        if (at + size > seg.size) {
          p = this.resync(seg, at, 'truncated') - this.readOff;
          break;
        }
        if (p + size > n) {
          if (p > 0) break; // read it whole next time
          // One frame larger than the read buffer: grow it for this frame (bounded by the 16 MiB frame cap).
          this.rbuf = Buffer.allocUnsafe(size);
          break;
        }
        if (!frameChecks(this.rbuf, p, header.length)) {
          p = this.resync(seg, at, 'bad-checksum') - this.readOff;
          break;
        }
        if (records > 0 && outBytes + header.length > maxBytes) break;
        // Payloads copied into one buffer per chunk: a Buffer per record cost 6% (bench/spool.bench.ts profile).
        out ??=
          into && into.length >= Math.max(maxBytes, header.length)
            ? into
            : Buffer.allocUnsafe(Math.max(maxBytes, header.length));
        this.rbuf.copy(out, outBytes, p + FRAME_HEADER_BYTES, p + FRAME_HEADER_BYTES + header.length);
        outBytes += header.length;
        records++;
        if (pos(seg.seq, at) < this.resendUntil) this.counters.resent++;
        p += size;
        if (outBytes >= maxBytes) break;
      }
      if (p === 0 && n < FRAME_HEADER_BYTES) {
        p = this.resync(seg, this.readOff, 'truncated') - this.readOff; // fewer bytes than a header at the end
      }
      this.readOff += p;
      if (this.rbuf.length > 64 * KiB && records > 0) this.rbuf = Buffer.allocUnsafe(64 * KiB);
    }
    const dropped = this.takeSummary();
    if (records === 0 && !dropped) return null;
    this.counters.records -= records;
    const end = pos(this.readSeq, this.readOff);
    if (records > 0) this.outstanding.push({ end, acked: false });
    this.saveCursor();
    return {
      frames: out ? out.subarray(0, outBytes) : Buffer.alloc(0),
      records,
      token: records > 0 ? end : -1,
      ...(dropped ? { dropped } : {}),
    };
  }

  /**
   * Marks the records of a chunk safe. Acknowledgements may come out of order; the spool's acknowledged
   * position (persisted in `cursor`) only moves over a prefix of acknowledged chunks, and segments wholly
   * behind it are deleted.
   */
  ack(token: number): void {
    if (token < 0 || this.closed) return;
    const entry = this.outstanding.find((o) => o.end === token && !o.acked);
    if (!entry) return;
    entry.acked = true;
    let moved = false;
    while (this.outstanding.length > 0 && this.outstanding[0]!.acked) {
      this.ackPos = this.outstanding.shift()!.end;
      moved = true;
    }
    if (!moved) return;
    while (this.segments.length > 0) {
      const seg = this.segments[0]!;
      if (seg === this.active) break;
      const done = seg.seq * POS_SCALE + seg.size <= this.ackPos || (seg.seq + 1) * POS_SCALE <= this.ackPos;
      if (!done) break;
      this.deleteSegment(seg);
    }
    this.saveCursor();
  }

  /** First segment with sequence >= seq. */
  private segmentAt(seq: number): Segment | undefined {
    for (const seg of this.segments) if (seg.seq >= seq) return seg;
    return undefined;
  }

  private readerFd(seg: Segment): number {
    if (this.readFdSeq === seg.seq) return this.readFd;
    if (this.readFd >= 0) closeSync(this.readFd);
    this.readFd = openSync(join(this.path, seg.name), 'r');
    this.readFdSeq = seg.seq;
    return this.readFd;
  }

  /**
   * Reports the corrupt region starting at `at` and returns the offset of the next valid frame in the
   * segment (or its end). A candidate must start with the magic byte, have a plausible length and a
   * matching CRC, so random bytes are not taken for a record.
   */
  private resync(seg: Segment, at: number, reason: 'bad-header' | 'bad-checksum' | 'truncated'): number {
    const fd = this.readerFd(seg);
    const window = Buffer.allocUnsafe(64 * KiB);
    let next = seg.size;
    let base = at + 1;
    search: while (base < seg.size) {
      const n = readSync(fd, window, 0, Math.min(window.length, seg.size - base), base);
      for (
        let i = window.indexOf(FRAME_MAGIC, 0);
        i !== -1 && i < n;
        i = window.indexOf(FRAME_MAGIC, i + 1)
      ) {
        if (this.validAt(fd, seg, base + i)) {
          next = base + i;
          break search;
        }
      }
      base += n;
    }
    this.counters.corruptions++;
    this.counters.skippedBytes += next - at;
    const error = new SpoolCorruptError({ segment: seg.name, offset: at, reason, skippedBytes: next - at });
    if (this.listenerCount('corrupt') > 0) this.emit('corrupt', error);
    return next;
  }

  private validAt(fd: number, seg: Segment, at: number): boolean {
    if (at + FRAME_OVERHEAD_BYTES > seg.size) return false;
    const head = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    readSync(fd, head, 0, FRAME_HEADER_BYTES, at);
    const header = readFrameHeader(head, 0);
    if (!header || at + FRAME_OVERHEAD_BYTES + header.length > seg.size) return false;
    const whole = Buffer.allocUnsafe(FRAME_OVERHEAD_BYTES + header.length);
    readSync(fd, whole, 0, whole.length, at);
    return frameChecks(whole, 0, header.length);
  }

  /**
   * Counts the records of a segment from `from` on, by kind and time, hopping from header to header in
   * 64 KiB reads (payloads are not checked: this is for statistics and drop counts only).
   */
  private scan(seg: Segment, from: number): KindTally {
    const tally = emptyTally(this.kindNames.length);
    if (from >= seg.size) return tally;
    const fd = openSync(join(this.path, seg.name), 'r');
    try {
      const buf = Buffer.allocUnsafe(64 * KiB);
      let at = from;
      while (at + FRAME_HEADER_BYTES <= seg.size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, seg.size - at), at);
        let p = 0;
        while (p + FRAME_HEADER_BYTES <= n) {
          const h = readFrameHeader(buf, p);
          // Corrupt or torn: the reader will report it; stop counting here.
          if (!h || at + p + FRAME_OVERHEAD_BYTES + h.length > seg.size) return tally;
          this.tally(tally, h.kind < this.kindNames.length ? h.kind : 0, h.timeMs);
          p += FRAME_OVERHEAD_BYTES + h.length;
        }
        if (p === 0) break;
        at += p;
      }
    } finally {
      closeSync(fd);
    }
    return tally;
  }

  private countUnread(): number {
    let records = 0;
    for (const seg of this.segments) {
      if (seg === this.active || seg.seq < this.readSeq) continue;
      records += this.scan(seg, seg.seq === this.readSeq ? this.readOff : 0).records;
    }
    return records;
  }

  private deleteSegment(seg: Segment): void {
    this.segments.splice(this.segments.indexOf(seg), 1);
    this.diskBytes -= seg.size;
    if (this.readFdSeq === seg.seq) {
      closeSync(this.readFd);
      this.readFd = -1;
      this.readFdSeq = -1;
    }
    // Asynchronous: freeing a few MiB of blocks took 3.6% of the write-ahead path; a file left behind by a
    // crash is behind the persisted cursor and deleted at the next open.
    unlink(join(this.path, seg.name), (error) => {
      if (error && error.code !== 'ENOENT') this.failed('delete', error);
    });
  }

  // --- cursor and drops ---------------------------------------------------------------------------------------

  /** The acknowledged position a previous process persisted; reading resumes there. */
  private recoverCursor(): number {
    const first = this.segments[0];
    let ack = first ? pos(first.seq, 0) : 0;
    try {
      const buf = readFileSync(join(this.path, CURSOR_FILE));
      if (
        buf.length >= CURSOR_BYTES &&
        buf.readUInt32LE(0) === CURSOR_MAGIC &&
        crc32(buf.subarray(0, 20)) === buf.readUInt32LE(20)
      ) {
        ack = pos(buf.readUInt32LE(4), buf.readUInt32LE(8));
        this.resendUntil = pos(buf.readUInt32LE(12), buf.readUInt32LE(16));
      }
    } catch {
      // no cursor (new spool) or unreadable: start at the first segment; duplicates, never loss
    }
    const ackSeq = Math.floor(ack / POS_SCALE);
    for (const seg of [...this.segments]) {
      if (seg.seq < ackSeq) this.deleteSegment(seg); // acknowledged before the crash, not yet deleted
    }
    const seg = this.segmentAt(ackSeq);
    this.readSeq = seg?.seq ?? 0;
    this.readOff = seg && seg.seq === ackSeq ? ack % POS_SCALE : 0;
    return ack;
  }

  /** Persists the acknowledged and handed-out positions (one 24-byte write; no fsync: a lost update means duplicates). */
  private saveCursor(): void {
    const buf = Buffer.allocUnsafe(CURSOR_BYTES);
    buf.writeUInt32LE(CURSOR_MAGIC, 0);
    buf.writeUInt32LE(Math.floor(this.ackPos / POS_SCALE), 4);
    buf.writeUInt32LE(this.ackPos % POS_SCALE, 8);
    const read = Math.max(pos(this.readSeq, this.readOff), this.resendUntil);
    buf.writeUInt32LE(Math.floor(read / POS_SCALE), 12);
    buf.writeUInt32LE(read % POS_SCALE, 16);
    buf.writeUInt32LE(crc32(buf.subarray(0, 20)), 20);
    try {
      writeSync(this.cursorFd, buf, 0, CURSOR_BYTES, 0);
    } catch (error) {
      this.failed('cursor write', error);
    }
  }

  private countTally(t: KindTally): void {
    if (t.records === 0) return;
    t.counts.forEach((n, i) => {
      if (n > 0) this.countDrop(i, 0, n);
    });
    const p = this.pending!;
    p.firstEventMs = Math.min(p.firstEventMs, t.minMs);
    p.lastEventMs = Math.max(p.lastEventMs, t.maxMs);
  }

  private countDrop(kind: number, timeMs: number, records: number): void {
    const now = Date.now();
    const name = this.kindNames[kind]!;
    this.counters.dropped += records;
    this.droppedByKind[kind]! += records;
    const p = (this.pending ??= {
      dropped: 0,
      byKind: {},
      firstEventMs: Number.POSITIVE_INFINITY,
      lastEventMs: Number.NEGATIVE_INFINITY,
      firstDropMs: now,
      lastDropMs: now,
    });
    p.dropped += records;
    p.byKind[name] = (p.byKind[name] ?? 0) + records;
    if (this.listenerCount('drop') > 0) this.emit('drop', { records, kind: name });
    p.lastDropMs = now;
    if (timeMs > 0) {
      p.firstEventMs = Math.min(p.firstEventMs, timeMs);
      p.lastEventMs = Math.max(p.lastEventMs, timeMs);
    }
    // The pending summary is saved at most once a second, so a restart still reports these drops.
    if (!this.saveDropsTimer && !this.closed) {
      this.saveDropsTimer = setTimeout(() => {
        this.saveDropsTimer = undefined;
        this.saveDrops();
      }, 1000);
      this.saveDropsTimer.unref();
    }
  }

  private takeSummary(): DropSummary | undefined {
    const p = this.pending;
    const now = Date.now();
    if (!p || now - this.lastSummaryAt < this.summaryIntervalMs) return undefined;
    this.pending = null;
    this.lastSummaryAt = now;
    if (!Number.isFinite(p.firstEventMs)) p.firstEventMs = p.firstDropMs;
    if (!Number.isFinite(p.lastEventMs)) p.lastEventMs = p.lastDropMs;
    this.saveDrops();
    return p;
  }

  private saveDrops(): void {
    const file = join(this.path, DROPS_FILE);
    try {
      if (this.pending) writeFileSync(file, JSON.stringify(this.pending));
      else unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.failed('drops write', error);
    }
  }

  private loadDrops(): void {
    try {
      const saved = JSON.parse(readFileSync(join(this.path, DROPS_FILE), 'utf8')) as DropSummary;
      if (typeof saved.dropped === 'number' && saved.dropped > 0) this.pending = saved;
    } catch {
      // none saved, or unreadable: nothing to report
    }
  }

  private failed(operation: string, error: unknown): void {
    const wrapped = new SpoolIoError(this.path, operation, error);
    if (this.listenerCount('error') > 0) this.emit('error', wrapped);
  }

  /** Writes out the buffer, fsyncs, saves cursor and pending drops, and closes the files. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.commit();
    if (this.dirty && this.syncMs !== null) {
      try {
        fdatasyncSync(this.activeFd); // at close, wait for it: the process may exit right after
      } catch (error) {
        this.failed('fsync', error);
      }
    }
    this.saveCursor();
    clearTimeout(this.saveDropsTimer);
    this.saveDropsTimer = undefined;
    this.saveDrops();
    this.closed = true;
    clearInterval(this.fsyncTimer);
    this.retire(this.activeFd);
    for (const fd of [this.readFd, this.cursorFd]) if (fd >= 0) closeSync(fd);
    this.activeFd = -1;
    this.readFd = -1;
    // An empty active segment is left behind by every process; remove it so restarts do not pile them up.
    if (this.active.size === 0) {
      try {
        unlinkSync(join(this.path, this.active.name));
      } catch {
        // already gone
      }
    }
  }
}
