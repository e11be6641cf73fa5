// Syslog over TCP or TLS to one receiver at a time, with failover, bounded memory and read-side close detection.
// Records are framed straight into ~64 KiB Buffers; one socket write per batch (performance.md, sinks table).
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { DROP_SUMMARY_SEVERITY, type DropSummary, formatDropSummary } from '../lib/drop-summary.js';
import { InvalidOptionError } from '../lib/errors.js';
import { createFramer, type Framer, type Framing } from '../lib/framing.js';
import type { Settings } from '../lib/settings.js';
import {
  createSyslogHeaderPrefix,
  type SyslogHeaderOptions,
  type SyslogHeaderPrefixFn,
} from '../lib/syslog-header.js';
import {
  CONNECTION_ERROR_CODES,
  connectionError,
  type SyslogConnectionError,
  toConnectionError,
} from './connection-errors.js';
import {
  openSyslogConnection,
  type SyslogConnectFn,
  type SyslogTarget,
  type SyslogTlsOptions,
} from './syslog-connection.js';
import { syslogSinkOptionsFromSettings } from './syslog-sink-settings.js';
import { SinkEndedError, UndeliveredError } from './undelivered-error.js';

/** What the sink does with a record when `maxBufferBytes` is reached. */
export type OverflowPolicy = 'block' | 'drop-newest' | 'drop-oldest';

/**
 * Seam for the durable spool (a later issue). When set, frames the memory buffer cannot hold are offered to
 * `spill` before being dropped, and `refill` is asked for spilled frames whenever the memory buffer is empty
 * and a receiver is connected.
 */
export interface SyslogSpool {
  /** Takes framed bytes holding `records` records; returns false when it cannot (then they count as overflowed). */
  spill(frames: Buffer, records: number): boolean;
  /** Returns up to about `maxBytes` of spilled frames (whole frames) and their record count, or null when empty. */
  refill(maxBytes: number): Promise<{ frames: Buffer; records: number } | null>;
}

/**
 * A write-ahead spool ({@link DiskSpool}). With one, every accepted record is appended to it first and the
 * sink sends what it reads back, in order; the memory buffer only holds what is being sent. Chunks are
 * acknowledged once written to the socket and out of the replay window; the sink closes the spool at
 * `end()` / `destroy()`.
 */
export interface SyslogWriteAheadSpool {
  append(frame: Buffer, kind: string | undefined, timeMs: number): boolean;
  commit(): void;
  /** Next records in order, copied into `into` when it has room for `maxBytes`. */
  read(
    maxBytes: number,
    into?: Buffer,
  ): { frames: Buffer; records: number; token: number; dropped?: DropSummary } | null;
  ack(token: number): void;
  /** Nothing left to hand out. */
  readonly empty: boolean;
  readonly stats: {
    records: number;
    bytes: number;
    resent: number;
    dropped: number;
    droppedByKind: Record<string, number>;
    corruptions: number;
  };
  close(): void;
}

/** Options of {@link SyslogSink}. */
export interface SyslogSinkOptions {
  /** Receivers in order of preference: the first is the primary, the rest are failovers. Required, at least one. */
  destinations: SyslogTarget[];
  /** TLS settings (verification always on), or null for plain TCP. @defaultValue `null` */
  tls?: SyslogTlsOptions | null;
  /** @defaultValue `'octet-counting'` with TLS (RFC 5425), `'lf'` without */
  framing?: Framing;
  /** Syslog header; see `createSyslogHeader`. @defaultValue `{ style: 'rfc5424' }` */
  header?: SyslogHeaderOptions;
  /** Budget for resolve + connect + TLS handshake per attempt. @defaultValue `10000` */
  connectTimeoutMs?: number;
  /** A write the receiver does not take within this long closes the connection and retries. @defaultValue `30000` */
  writeTimeoutMs?: number;
  /** Memory bound for records not yet handed to the kernel (queued, batching, in the socket). @defaultValue 8 MiB */
  maxBufferBytes?: number;
  /**
   * When the buffer is full: `block` accepts but `write()` returns false until `'drain'` (a caller that keeps
   * writing anyway is cut off at twice the bound, with drop-newest); `drop-newest` / `drop-oldest` drop and
   * count. drop-oldest drops whole batches (~64 KiB). @defaultValue `'block'`
   */
  overflow?: OverflowPolicy;
  /** Backoff between reconnect rounds: doubling from `initialDelayMs` up to `maxDelayMs`, with jitter. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** While on a failover receiver, how often to try the primary again. @defaultValue `30000` */
  failbackProbeMs?: number;
  /** A connection up this long resets the backoff (so a receiver that accepts then closes is never hammered). @defaultValue `5000` */
  stableAfterMs?: number;
  /** Target size of one socket write. @defaultValue `65536` */
  batchBytes?: number;
  /** TCP keepalive probe delay. @defaultValue `15000` */
  keepAliveMs?: number;
  /**
   * Bytes already handed to the kernel are not proof of delivery: a receiver that dies loses what it had not read.
   * After an unexpected disconnect, batches written in the last `replayWindowMs`, up to `replayWindowBytes`, are
   * sent again (counted as `replayed`: possible duplicates). What a dying receiver had not read beyond the
   * window is lost, so the window should cover the kernel's socket buffers that can fill while the receiver lags.
   * 0 turns it off. @defaultValue `262144`; with a write-ahead spool `2097152` (bench/outage.bench.ts lost 272
   * records of a receiver killed while lagging at 270k events/s with 256 KiB; the window is also what the spool
   * keeps unacknowledged)
   */
  replayWindowBytes?: number;
  /** @defaultValue `2000` */
  replayWindowMs?: number;
  /** Opens connections (I/O seam). @defaultValue `openSyslogConnection` */
  connect?: SyslogConnectFn;
  /**
   * Durable spool: a {@link SyslogWriteAheadSpool} (`DiskSpool`: every record goes to disk first, nothing
   * accepted is lost to a crash) or the overflow-only {@link SyslogSpool} seam. @defaultValue none
   */
  spool?: SyslogSpool | SyslogWriteAheadSpool | null;
  /**
   * Text of the record sent into the SIEM after the spool dropped records (see `formatDropSummary`).
   * @defaultValue CEF with siemkit's product names
   */
  dropSummary?: (summary: DropSummary) => string;
  /** Randomness for jitter (seam for tests). @defaultValue `Math.random` */
  random?: () => number;
  /** See `OpenConnectionOptions.tls13SettleMs`. @defaultValue `250` */
  tls13SettleMs?: number;
}

/** Per-record metadata for the syslog header. */
export interface SyslogRecordMeta {
  /** Event time for the header timestamp. @defaultValue `Date.now()` */
  epochMs?: number;
  /** CEF/LEEF severity 0-10, mapped to the syslog severity. @defaultValue `0` */
  severity?: number;
  /** Event kind, for the spool's drop counts per kind. @defaultValue `'other'` */
  kind?: string;
}

/** Counters of one receiver. */
export interface SyslogDestinationStats {
  host: string;
  port: number;
  connected: boolean;
  recordsSent: number;
  bytesSent: number;
  connects: number;
  reconnects: number;
  /** Times the sink switched to this receiver from another one (failover or failback). */
  failovers: number;
  errors: number;
}

/** Counters of the sink; the buffer is shared, so buffer and overflow counters are sink-wide. */
export interface SyslogSinkStats {
  /** Records handed to the kernel on any receiver. */
  written: number;
  writtenBytes: number;
  bufferedBytes: number;
  bufferedRecords: number;
  /** Records dropped by the overflow policy. */
  overflowed: number;
  /** Records sent again after a disconnect (possible duplicates). */
  replayed: number;
  /** Records waiting in the spool (overflow seam: spilled and not yet taken back). */
  spooled: number;
  /** Write-ahead spool: records sent again after a restart that a previous process had already sent. */
  resent: number;
  /** Write-ahead spool: records its drop policy dropped (or a failed disk write lost), in total and per kind. */
  dropped: number;
  droppedByKind: Record<string, number>;
  /** Write-ahead spool: bytes on disk, and corrupt regions skipped. */
  spoolBytes: number;
  spoolCorruptions: number;
  /** Drop summary records sent into the SIEM (counted in `written` too). */
  dropSummaries: number;
  reconnects: number;
  failovers: number;
  errors: number;
  /** Raw CR/LF replaced with LF framing. */
  lineBreaksReplaced: number;
  destinations: SyslogDestinationStats[];
}

/** Events of {@link SyslogSink}. */
export interface SyslogSinkEvents {
  connect: [{ host: string; port: number; index: number }];
  disconnect: [{ host: string; port: number; index: number; reason: string; code?: string }];
  failover: [{ from: SyslogTarget; to: SyslogTarget; reason: 'failover' | 'failback' }];
  /** Connection problems; emitted only when someone listens, since the sink keeps retrying either way. */
  error: [SyslogConnectionError];
  overflow: [{ dropped: number; overflowed: number; policy: OverflowPolicy }];
  drain: [];
}

interface Chunk {
  buf: Buffer;
  records: number;
  writtenAt: number;
  /** The whole batch buffer `buf` is a view of, reusable once the socket is done with it. */
  batch?: Buffer;
  /** Write-ahead spool token, acknowledged when the chunk is safe. */
  token?: number;
}

interface Connection {
  socket: Socket;
  index: number;
  inFlight: Chunk[];
  unconfirmed: Chunk[];
  unconfirmedBytes: number;
  lost: boolean;
  closing: boolean;
  /** The receiver sent FIN: after our own FIN, it read everything we sent. */
  peerEnded: boolean;
  /** Up for `stableAfterMs`: its loss reconnects at once instead of after the backoff. */
  stable: boolean;
  writeTimer: NodeJS.Timeout | undefined;
  stableTimer: NodeJS.Timeout | undefined;
  onWritten: (error?: Error | null) => void;
}

interface FlushWaiter {
  target: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

const KiB = 1024;

const OPTION_KEYS = new Set<string>([
  'destinations',
  'tls',
  'framing',
  'header',
  'connectTimeoutMs',
  'writeTimeoutMs',
  'maxBufferBytes',
  'overflow',
  'reconnect',
  'failbackProbeMs',
  'stableAfterMs',
  'batchBytes',
  'keepAliveMs',
  'replayWindowBytes',
  'replayWindowMs',
  'connect',
  'spool',
  'dropSummary',
  'random',
  'tls13SettleMs',
] satisfies Array<keyof SyslogSinkOptions>);

function positiveInt(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new InvalidOptionError(option, `must be an integer >= ${min}, got ${value}`);
  return value;
}

/**
 * Sends records as syslog over TCP or TLS (RFC 5424/3164 header, RFC 6587/5425 framing) to the first receiver
 * that answers, failing over in order and back to the primary when it returns. `write()` never throws for
 * network trouble: records wait in a bounded buffer while no receiver is reachable.
 *
 * @example
 * ```ts
 * import { parseSettings } from 'siemkit';
 * import { SyslogSink } from 'siemkit/sinks';
 * const sink = SyslogSink.fromSettings(parseSettings(json));
 * if (!sink.write(cefLine, { epochMs: event.time, severity: 7 })) await once(sink, 'drain');
 * await sink.end(); // resolves once everything was written and the TLS session closed with close_notify
 * ```
 */
export class SyslogSink extends EventEmitter<SyslogSinkEvents> {
  /** Builds a sink from validated settings (`forwarding`), reading the PEM files they name. */
  static fromSettings(settings: Settings, overrides: Partial<SyslogSinkOptions> = {}): SyslogSink {
    return new SyslogSink({ ...syslogSinkOptionsFromSettings(settings), ...overrides });
  }

  private readonly destinations: SyslogTarget[];
  private readonly header: SyslogHeaderPrefixFn;
  private readonly framer: Framer;
  private readonly connectFn: SyslogConnectFn;
  private readonly options: Required<
    Omit<SyslogSinkOptions, 'spool' | 'tls' | 'header' | 'reconnect' | 'framing' | 'dropSummary'>
  > & {
    initialDelayMs: number;
    maxDelayMs: number;
  };
  private readonly tls: SyslogTlsOptions | null;
  private readonly spool: SyslogSpool | null;
  private readonly wal: SyslogWriteAheadSpool | null;
  private readonly dropSummary: (summary: DropSummary) => string;
  private readonly maxInFlightBytes: number;

  private batch: Buffer;
  /** Spent batch buffers for reuse: a fresh 64 KiB buffer per batch costs GC time (bench/syslog-sink.bench.ts). */
  private readonly spare: Buffer[] = [];
  private batchLength = 0;
  private batchRecords = 0;
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private queuedRecords = 0;
  private inFlightBytes = 0;
  private inFlightRecords = 0;

  private conn: Connection | null = null;
  private connecting = false;
  private probing = false;
  private attempt = 0;
  private everConnected = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryWake: (() => void) | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  private refilling = false;
  private needDrain = false;
  private ending = false;
  private closed = false;
  private lastError: SyslogConnectionError | undefined;
  /** The receiver of the last connection, to tell a failover from a reconnect. */
  private lastIndex: number | undefined;

  private accepted = 0;
  private settled = 0;
  private readonly waiters: FlushWaiter[] = [];
  private readonly counters = {
    written: 0,
    writtenBytes: 0,
    overflowed: 0,
    replayed: 0,
    spooled: 0,
    dropSummaries: 0,
    reconnects: 0,
    failovers: 0,
    errors: 0,
  };
  private readonly destStats: SyslogDestinationStats[];

  constructor(options: SyslogSinkOptions) {
    super();
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) throw new InvalidOptionError(key, 'unknown option');
    }
    if (!Array.isArray(options.destinations) || options.destinations.length === 0) {
      throw new InvalidOptionError('destinations', 'must list at least one {host, port}');
    }
    this.destinations = options.destinations.map((d) => ({ host: d.host, port: d.port }));
    this.tls = options.tls ?? null;
    this.header = createSyslogHeaderPrefix(options.header ?? {});
    this.framer = createFramer(options.framing ?? (this.tls ? 'octet-counting' : 'lf'));
    this.connectFn = options.connect ?? openSyslogConnection;
    const spool = options.spool ?? null;
    this.wal = spool && 'append' in spool ? spool : null;
    this.spool = spool && !('append' in spool) ? spool : null;
    this.dropSummary = options.dropSummary ?? ((summary) => formatDropSummary(summary));
    const overflow = options.overflow ?? 'block';
    if (!['block', 'drop-newest', 'drop-oldest'].includes(overflow)) {
      throw new InvalidOptionError(
        'overflow',
        `must be "block", "drop-newest" or "drop-oldest", got ${JSON.stringify(overflow)}`,
      );
    }
    this.options = {
      destinations: this.destinations,
      connectTimeoutMs: positiveInt('connectTimeoutMs', options.connectTimeoutMs ?? 10_000, 1),
      writeTimeoutMs: positiveInt('writeTimeoutMs', options.writeTimeoutMs ?? 30_000, 1),
      maxBufferBytes: positiveInt('maxBufferBytes', options.maxBufferBytes ?? 8 * KiB * KiB, 4 * KiB),
      overflow,
      initialDelayMs: positiveInt('reconnect.initialDelayMs', options.reconnect?.initialDelayMs ?? 250, 1),
      maxDelayMs: positiveInt('reconnect.maxDelayMs', options.reconnect?.maxDelayMs ?? 30_000, 1),
      failbackProbeMs: positiveInt('failbackProbeMs', options.failbackProbeMs ?? 30_000, 1),
      stableAfterMs: positiveInt('stableAfterMs', options.stableAfterMs ?? 5_000, 0),
      batchBytes: positiveInt('batchBytes', options.batchBytes ?? 64 * KiB, 1 * KiB),
      keepAliveMs: positiveInt('keepAliveMs', options.keepAliveMs ?? 15_000, 1),
      replayWindowBytes: positiveInt(
        'replayWindowBytes',
        options.replayWindowBytes ?? (this.wal ? 2048 * KiB : 256 * KiB),
        0,
      ),
      replayWindowMs: positiveInt('replayWindowMs', options.replayWindowMs ?? 2_000, 0),
      connect: this.connectFn,
      random: options.random ?? Math.random,
      tls13SettleMs: positiveInt('tls13SettleMs', options.tls13SettleMs ?? 250, 0),
    };
    // Socket-level buffer allowed on top of our queue: two batches keep the pipe full without hiding memory.
    this.maxInFlightBytes = 2 * this.options.batchBytes;
    this.batch = Buffer.allocUnsafe(this.options.batchBytes);
    this.destStats = this.destinations.map((d) => ({
      host: d.host,
      port: d.port,
      connected: false,
      recordsSent: 0,
      bytesSent: 0,
      connects: 0,
      reconnects: 0,
      failovers: 0,
      errors: 0,
    }));
    void this.connectLoop();
  }

  /** Bytes accepted and not yet handed to the kernel. */
  get bufferedBytes(): number {
    return this.queuedBytes + this.batchLength + this.inFlightBytes;
  }

  private get bufferedRecords(): number {
    return this.queuedRecords + this.batchRecords + this.inFlightRecords;
  }

  /** A snapshot of the counters. */
  get stats(): SyslogSinkStats {
    const wal = this.wal?.stats;
    return {
      ...this.counters,
      spooled: wal ? wal.records : this.counters.spooled,
      resent: wal?.resent ?? 0,
      dropped: wal?.dropped ?? 0,
      droppedByKind: wal?.droppedByKind ?? {},
      spoolBytes: wal?.bytes ?? 0,
      spoolCorruptions: wal?.corruptions ?? 0,
      bufferedBytes: this.bufferedBytes,
      bufferedRecords: this.bufferedRecords,
      lineBreaksReplaced: this.framer.lineBreaksReplaced,
      destinations: this.destStats.map((d) => ({ ...d })),
    };
  }

  /**
   * Adds a syslog header to `record`, frames it and queues it. Returns false when the buffer is full: wait for
   * `'drain'`. What happens to the record then depends on `overflow`. Throws `SinkEndedError` after `end()`.
   */
  write(record: string, meta?: SyslogRecordMeta): boolean {
    if (this.ending) throw new SinkEndedError('SyslogSink');
    const epochMs = meta?.epochMs ?? Date.now();
    const head = this.header(epochMs, meta?.severity ?? 0);
    if (this.wal) {
      // Write-ahead: the batch buffer is only scratch space; the spool copies the frame into its own buffer.
      const n = this.framer.frameInto(this.batch, 0, record, head);
      const frame = n < 0 ? this.framer.frame(record, head) : this.batch.subarray(0, n);
      this.accepted++;
      this.settled++;
      this.wal.append(frame, meta?.kind, epochMs);
      this.schedulePump();
      return true; // never false: nothing would ever emit 'drain' for it; drops are counted by the spool
    }
    const { maxBufferBytes, overflow } = this.options;
    let start = this.batchLength;
    let n = this.framer.frameInto(this.batch, start, record, head);
    if (n < 0) {
      this.seal();
      start = 0;
      n = this.framer.frameInto(this.batch, 0, record, head);
    }
    let single: Buffer | undefined;
    if (n < 0) {
      single = this.framer.frame(record, head); // larger than a batch: a write of its own
      n = single.length;
    } else {
      this.batchLength += n;
      this.batchRecords++;
    }
    this.accepted++;
    if (single) this.enqueue({ buf: single, records: 1, writtenAt: 0 });

    const buffered = this.bufferedBytes;
    let full = buffered >= maxBufferBytes;
    if (buffered > maxBufferBytes) {
      if (overflow === 'drop-oldest') this.dropOldest(buffered - maxBufferBytes);
      else if (overflow === 'drop-newest' || buffered > 2 * maxBufferBytes) this.dropNewest(single, start, n);
      full = true; // something was dropped, or (block) the caller must wait
    }
    this.schedulePump();
    if (full) {
      this.needDrain = true;
      return false;
    }
    return true;
  }

  /**
   * Resolves when every record accepted before the call was handed to the kernel (or dropped by the overflow
   * policy). With `timeoutMs`, rejects with `UndeliveredError` (`SIEMKIT_ERR_UNDELIVERED`) after that long.
   */
  flush(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.wal) {
      // With a write-ahead spool, "accepted" means "in the spool file": that is what survives a crash.
      this.wal.commit();
      return Promise.resolve();
    }
    const target = this.accepted;
    if (this.settled >= target) return Promise.resolve();
    this.seal();
    this.schedulePump();
    return new Promise<void>((resolve, reject) => {
      const waiter: FlushWaiter = { target, resolve, reject, timer: undefined };
      if (options.timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(this.undelivered(`flush() timed out after ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  /**
   * Stops accepting records, waits until everything accepted was handed to the kernel (at most `timeoutMs`,
   * default `writeTimeoutMs`), then closes the connection with a TLS close_notify / TCP FIN. Rejects with
   * `UndeliveredError` listing what was not sent, after closing anyway.
   */
  async end(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.ending = true;
    if (this.wal) return this.endWal(options.timeoutMs ?? this.options.writeTimeoutMs);
    let failure: UndeliveredError | undefined;
    try {
      await this.flush({ timeoutMs: options.timeoutMs ?? this.options.writeTimeoutMs });
    } catch (error) {
      failure = error as UndeliveredError;
    }
    await this.stopAndClose();
    if (failure) throw failure;
  }

  /**
   * With a write-ahead spool: sends what the spool holds for at most `timeoutMs`, then closes the connection
   * and the spool. What was not sent stays in the spool for the next start, so this never rejects.
   */
  private async endWal(timeoutMs: number): Promise<void> {
    const wal = this.wal!;
    wal.commit();
    const deadline = Date.now() + timeoutMs;
    while (!(wal.empty && this.queue.length === 0 && this.inFlightBytes === 0) && Date.now() < deadline) {
      this.schedulePump();
      await new Promise((r) => setTimeout(r, 10));
    }
    await this.stopAndClose();
    wal.close();
  }

  /** Marks the sink closed and stops every timer and retry wait, so nothing reconnects or probes again. */
  private stopTimers(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryWake?.();
    clearInterval(this.probeTimer);
  }

  /** The end of `end()`: timers stopped, then the connection closed gracefully (TLS close_notify, FIN). */
  private async stopAndClose(): Promise<void> {
    this.stopTimers();
    const conn = this.conn;
    if (conn) await this.closeGracefully(conn);
  }

  /**
   * Closes at once; whatever was buffered is lost (counted in `bufferedRecords` of the final stats), except
   * with a write-ahead spool, which keeps every accepted record for the next start.
   */
  destroy(): void {
    this.wal?.close();
    this.ending = true;
    this.stopTimers();
    if (this.conn) {
      this.conn.closing = true;
      this.conn.socket.destroy();
    }
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(this.undelivered('destroy() called'));
    }
  }

  // --- buffer -------------------------------------------------------------------------------------------------

  private enqueue(chunk: Chunk): void {
    this.queue.push(chunk);
    this.queuedBytes += chunk.buf.length;
    this.queuedRecords += chunk.records;
  }

  /** Moves the batch being filled to the queue. */
  private seal(): void {
    if (this.batchLength === 0) return;
    if (this.batchLength < this.batch.length >> 2) {
      // Small: copy out and keep filling the same 64 KiB buffer.
      const buf = Buffer.from(this.batch.subarray(0, this.batchLength));
      this.enqueue({ buf, records: this.batchRecords, writtenAt: 0 });
    } else {
      const batch = this.batch;
      this.enqueue({
        buf: batch.subarray(0, this.batchLength),
        records: this.batchRecords,
        writtenAt: 0,
        batch,
      });
      this.batch = this.spare.pop() ?? Buffer.allocUnsafe(this.options.batchBytes);
    }
    this.batchLength = 0;
    this.batchRecords = 0;
  }

  private dropNewest(single: Buffer | undefined, start: number, n: number): void {
    let frames: Buffer;
    if (single) {
      const last = this.queue.pop()!;
      this.queuedBytes -= last.buf.length;
      this.queuedRecords -= 1;
      frames = single;
    } else {
      frames = this.batch.subarray(start, start + n);
      this.batchLength -= n;
      this.batchRecords--;
    }
    this.discard(frames, 1);
  }

  private dropOldest(excessBytes: number): void {
    let freed = 0;
    while (freed < excessBytes && this.queue.length > 0) {
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.buf.length;
      this.queuedRecords -= chunk.records;
      freed += chunk.buf.length;
      this.discard(chunk.buf, chunk.records);
    }
    if (freed < excessBytes && this.batchLength > 0) {
      // Nothing queued to drop (all in flight): the batch being filled is the oldest that can go.
      const frames = this.batch.subarray(0, this.batchLength);
      const records = this.batchRecords;
      this.batchLength = 0;
      this.batchRecords = 0;
      this.discard(Buffer.from(frames), records);
    }
  }

  /** Offers dropped frames to the spool, else counts them as overflowed. */
  private discard(frames: Buffer, records: number): void {
    this.settled += records;
    if (this.spool?.spill(Buffer.from(frames), records)) {
      this.counters.spooled += records;
    } else {
      this.counters.overflowed += records;
      this.emit('overflow', {
        dropped: records,
        overflowed: this.counters.overflowed,
        policy: this.options.overflow,
      });
    }
    this.settleWaiters();
  }

  private undelivered(reason: string): UndeliveredError {
    return new UndeliveredError(
      {
        records: this.bufferedRecords,
        bytes: this.bufferedBytes,
        reason,
        ...(this.lastError ? { lastErrorCode: this.lastError.code } : {}),
      },
      this.lastError ? { cause: this.lastError } : undefined,
    );
  }

  private settleWaiters(): void {
    while (this.waiters.length > 0 && this.settled >= this.waiters[0]!.target) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve();
    }
    if (this.needDrain && this.bufferedBytes <= this.options.maxBufferBytes >> 1) {
      this.needDrain = false;
      this.emit('drain');
    }
  }

  // --- writing ------------------------------------------------------------------------------------------------

  private schedulePump(): void {
    if (this.pumpScheduled || !this.conn) return;
    this.pumpScheduled = true;
    setImmediate(this.pump);
  }

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    const conn = this.conn;
    if (!conn || conn.lost || conn.closing) return;
    const socket = conn.socket;
    // Our own in-flight count too: a socket destroyed under us reports writableLength 0, and with a spool to read
    // from, this loop then pulled the whole backlog into memory before 'close' arrived (bench/outage.bench.ts).
    while (
      socket.writableLength < this.maxInFlightBytes &&
      this.inFlightBytes < this.maxInFlightBytes &&
      !socket.destroyed
    ) {
      if (this.queue.length === 0) {
        if (this.wal) {
          if (!this.readSpool()) break;
        } else {
          if (this.batchLength === 0) break;
          this.seal();
        }
      }
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.buf.length;
      this.queuedRecords -= chunk.records;
      this.inFlightBytes += chunk.buf.length;
      this.inFlightRecords += chunk.records;
      if (conn.inFlight.length === 0) this.armWriteTimer(conn);
      conn.inFlight.push(chunk);
      socket.write(chunk.buf, conn.onWritten);
    }
    if (this.spool && !this.refilling && this.bufferedBytes === 0) void this.refill(conn);
  };

  /** Queues the next chunk of the write-ahead spool, after its drop summary if it has one. */
  private readSpool(): boolean {
    const into = this.spare.pop() ?? Buffer.allocUnsafe(this.options.batchBytes);
    const got = this.wal!.read(this.options.batchBytes, into);
    if (!got || got.frames.buffer !== into.buffer || got.frames.byteOffset !== into.byteOffset)
      this.spare.push(into);
    if (!got) return false;
    if (got.dropped) {
      const buf = this.framer.frame(
        this.dropSummary(got.dropped),
        this.header(Date.now(), DROP_SUMMARY_SEVERITY),
      );
      this.settled--; // written() counts it as settled, like every record it writes
      this.counters.dropSummaries++;
      this.enqueue({ buf, records: 1, writtenAt: 0 });
    }
    if (got.records > 0) {
      this.settled -= got.records;
      const batch =
        got.frames.buffer === into.buffer && got.frames.byteOffset === into.byteOffset ? into : undefined;
      this.enqueue({ buf: got.frames, records: got.records, writtenAt: 0, token: got.token, batch });
    }
    return true;
  }

  private async refill(conn: Connection): Promise<void> {
    this.refilling = true;
    try {
      const got = await this.spool!.refill(this.options.batchBytes);
      if (got && got.records > 0) {
        this.counters.spooled -= got.records;
        this.settled -= got.records; // they count as pending again
        this.enqueue({ buf: got.frames, records: got.records, writtenAt: 0 });
        if (this.conn === conn) this.schedulePump();
      }
    } finally {
      this.refilling = false;
    }
  }

  private armWriteTimer(conn: Connection): void {
    clearTimeout(conn.writeTimer);
    conn.writeTimer = setTimeout(() => {
      const { host, port } = this.destinations[conn.index]!;
      this.lose(
        conn,
        connectionError(
          CONNECTION_ERROR_CODES.writeTimeout,
          { host, port },
          'send',
          `the receiver took no data for ${this.options.writeTimeoutMs} ms`,
        ),
      );
    }, this.options.writeTimeoutMs);
  }

  private written(conn: Connection): void {
    const chunk = conn.inFlight.shift();
    if (!chunk) return;
    const bytes = chunk.buf.length;
    this.inFlightBytes -= bytes;
    this.inFlightRecords -= chunk.records;
    this.counters.written += chunk.records;
    this.counters.writtenBytes += bytes;
    const dest = this.destStats[conn.index]!;
    dest.recordsSent += chunk.records;
    dest.bytesSent += bytes;
    this.settled += chunk.records;
    if (conn.inFlight.length === 0) clearTimeout(conn.writeTimer);
    else conn.writeTimer?.refresh();
    if (this.options.replayWindowBytes > 0) {
      chunk.writtenAt = Date.now();
      conn.unconfirmed.push(chunk);
      conn.unconfirmedBytes += bytes;
      while (conn.unconfirmedBytes > this.options.replayWindowBytes) {
        const old = conn.unconfirmed.shift()!;
        conn.unconfirmedBytes -= old.buf.length;
        this.recycle(old);
      }
    } else {
      this.recycle(chunk);
    }
    this.settleWaiters();
    if (this.queue.length > 0 || this.batchLength > 0 || this.wal || (this.spool && this.inFlightBytes === 0))
      this.schedulePump();
  }

  /** Keeps a spent batch buffer (the socket and the replay window are done with it) for a later batch. */
  private recycle(chunk: Chunk): void {
    // Eight: the replay window (4 batches), two in the socket and one queued circulate without allocating.
    if (chunk.batch && this.spare.length < 8) this.spare.push(chunk.batch);
    chunk.batch = undefined;
    if (chunk.token !== undefined) {
      // Safe: written and out of the replay window. Only now may the spool forget these records.
      this.wal?.ack(chunk.token);
      chunk.token = undefined;
    }
  }

  // --- connection life ----------------------------------------------------------------------------------------

  private backoffMs(): number {
    const { initialDelayMs, maxDelayMs } = this.options;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.attempt, 30));
    // Equal jitter: never below half the ceiling, so retries can neither stampede nor spin.
    return Math.round(ceiling / 2 + (this.options.random() * ceiling) / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.retryWake = resolve;
      this.retryTimer = setTimeout(resolve, ms);
    });
  }

  private connectOptions() {
    return {
      tls: this.tls,
      connectTimeoutMs: this.options.connectTimeoutMs,
      keepAliveMs: this.options.keepAliveMs,
      tls13SettleMs: this.options.tls13SettleMs,
    };
  }

  /** Tries the receivers in order; after a round where all failed, waits the backoff and starts again. */
  private async connectLoop(delayFirst = false): Promise<void> {
    if (this.connecting || this.closed) return;
    this.connecting = true;
    try {
      if (delayFirst) {
        await this.sleep(this.backoffMs());
        this.attempt++;
      }
      while (!this.closed) {
        for (let index = 0; index < this.destinations.length && !this.closed; index++) {
          const target = this.destinations[index]!;
          try {
            const socket = await this.connectFn(target, this.connectOptions());
            if (this.closed) {
              socket.destroy();
              return;
            }
            this.adopt(socket, index);
            return;
          } catch (error) {
            if (this.closed) return;
            this.recordError(index, toConnectionError(error, target, 'connect'));
          }
        }
        if (!this.closed) await this.sleep(this.backoffMs());
        this.attempt++;
      }
    } finally {
      this.connecting = false;
    }
  }

  private recordError(index: number, error: SyslogConnectionError): void {
    this.lastError = error;
    this.counters.errors++;
    this.destStats[index]!.errors++;
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private adopt(socket: Socket, index: number): void {
    const previous = this.conn;
    const conn: Connection = {
      socket,
      index,
      inFlight: [],
      unconfirmed: [],
      unconfirmedBytes: 0,
      lost: false,
      closing: false,
      peerEnded: false,
      stable: false,
      writeTimer: undefined,
      stableTimer: undefined,
      onWritten: (error) => {
        if (!error) this.written(conn);
      },
    };
    const target = this.destinations[index]!;
    // Reading is how a FIN or RST is seen before the next batch goes into a dead socket (field-notes item 1).
    socket.on('data', () => {});
    socket.on('end', () => {
      conn.peerEnded = true;
      this.lose(
        conn,
        connectionError(CONNECTION_ERROR_CODES.closed, target, 'send', 'the receiver closed the connection'),
      );
    });
    socket.on('error', (error) => this.lose(conn, toConnectionError(error, target, 'send')));
    socket.on('close', () =>
      this.lose(conn, connectionError(CONNECTION_ERROR_CODES.reset, target, 'send', 'the connection closed')),
    );
    socket.on('drain', () => this.schedulePump());
    conn.stableTimer = setTimeout(() => {
      conn.stable = true;
      this.attempt = 0;
    }, this.options.stableAfterMs);

    this.conn = conn;
    const dest = this.destStats[index]!;
    dest.connected = true;
    dest.connects++;
    if (this.everConnected) {
      dest.reconnects++;
      this.counters.reconnects++;
    }
    this.everConnected = true;
    // Starting on a failover receiver (the primary was down from the start) is a failover too.
    const fromIndex = previous ? previous.index : (this.lastIndex ?? 0);
    if (fromIndex !== undefined && fromIndex !== index) {
      dest.failovers++;
      this.counters.failovers++;
      this.emit('failover', {
        from: this.destinations[fromIndex]!,
        to: target,
        reason: index < fromIndex ? 'failback' : 'failover',
      });
    }
    this.lastIndex = index;
    this.emit('connect', { host: target.host, port: target.port, index });
    clearInterval(this.probeTimer);
    if (index > 0)
      this.probeTimer = setInterval(() => void this.probePrimary(), this.options.failbackProbeMs);
    this.schedulePump();
  }

  /** While on a failover receiver: if the primary answers (full handshake), move to it. */
  private async probePrimary(): Promise<void> {
    const current = this.conn;
    if (!current || current.index === 0 || this.closed || this.probing) return;
    // Its own flag, not `connecting`: if the current connection drops meanwhile, connectLoop must still run.
    this.probing = true;
    let socket: Socket;
    try {
      socket = await this.connectFn(this.destinations[0]!, this.connectOptions());
    } catch {
      return; // still down; the next probe tries again
    } finally {
      this.probing = false;
    }
    if (this.closed || this.conn !== current) {
      socket.destroy();
      return;
    }
    // The old connection finishes what it has in flight and closes; new batches go to the primary.
    current.closing = true;
    this.conn = null;
    this.destStats[current.index]!.connected = false;
    void this.closeGracefully(current);
    this.adopt(socket, 0);
  }

  /** Ends a connection after its in-flight writes (TLS close_notify, then FIN), destroying it if that stalls. */
  private closeGracefully(conn: Connection): Promise<void> {
    conn.closing = true;
    clearTimeout(conn.stableTimer);
    return new Promise((resolve) => {
      const socket = conn.socket;
      if (socket.destroyed) {
        resolve();
        return;
      }
      const timer = setTimeout(() => socket.destroy(), this.options.writeTimeoutMs);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  /** The connection broke: keep what it had not written (and replay the recent window), then reconnect. */
  private lose(conn: Connection, error: SyslogConnectionError): void {
    if (conn.lost) return;
    conn.lost = true;
    clearTimeout(conn.writeTimer);
    clearTimeout(conn.stableTimer);
    conn.socket.destroy();
    const dest = this.destStats[conn.index]!;
    dest.connected = false;

    const requeue: Chunk[] = [];
    const deliberate = conn.closing && error.code !== CONNECTION_ERROR_CODES.writeTimeout;
    // A write-ahead spool trusts a deliberate close only once the receiver answered our FIN with its own.
    const replay = !deliberate || (this.wal !== null && !conn.peerEnded);
    if (replay && this.options.replayWindowBytes > 0) {
      const since = Date.now() - this.options.replayWindowMs;
      for (const chunk of conn.unconfirmed) {
        if (chunk.writtenAt < since) {
          this.recycle(chunk);
          continue;
        }
        requeue.push(chunk);
        this.counters.replayed += chunk.records;
        this.settled -= chunk.records;
      }
    }
    if (!replay) for (const chunk of conn.unconfirmed) this.recycle(chunk);
    for (const chunk of conn.inFlight) {
      requeue.push(chunk);
      this.inFlightBytes -= chunk.buf.length;
      this.inFlightRecords -= chunk.records;
    }
    conn.inFlight = [];
    conn.unconfirmed = [];
    for (let i = requeue.length - 1; i >= 0; i--) {
      const chunk = requeue[i]!;
      this.queue.unshift(chunk);
      this.queuedBytes += chunk.buf.length;
      this.queuedRecords += chunk.records;
    }

    if (this.conn !== conn) {
      // An old connection closing after failback: its leftovers go out on the current one.
      if (requeue.length > 0) this.schedulePump();
      return;
    }
    this.conn = null;
    clearInterval(this.probeTimer);
    if (!deliberate) this.recordError(conn.index, error);
    const target = this.destinations[conn.index]!;
    this.emit('disconnect', {
      host: target.host,
      port: target.port,
      index: conn.index,
      reason: error.message,
      code: error.code,
    });
    // A connection that did not stay up is retried after the backoff, never at once (no busy loop).
    if (!this.closed) void this.connectLoop(!conn.stable);
  }
}
