import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { type CleanupSchedule, cleanupStamp, createCleanupSchedule } from '../lib/cleanup-schedule.js';
import { InvalidOptionError, type SiemkitError } from '../lib/errors.js';
import type { Settings } from '../lib/settings.js';
import {
  errnoCode,
  FileOpenError,
  FileReplacedError,
  FileRotateError,
  FileWriteError,
  InvalidRecordError,
  RecordsDroppedError,
} from './file-sink-errors.js';
import { type FileHandleLike, type FileSystem, nodeFileSystem } from './file-system.js';

/** When the sink calls fsync: never, on `flush()`/`end()`/rotation, or after every batch. */
export type FsyncPolicy = 'never' | 'flush' | 'always';

/** Timer functions the sink schedules cleanups and retries with; tests pass a fake to travel in time. */
export interface TimerSeam {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link RotatingFileSink}; every field is optional. Unknown keys are rejected. */
export interface RotatingFileSinkOptions {
  /** Folder of the log file, created if missing. @defaultValue `'./logs'` */
  location?: string;
  /** Base name of the current file; renamed files get `.<stamp>` appended. @defaultValue `'EventLog'` */
  name?: string;
  /** Cleanup time of day, `HH:mm` in `timeZone`, or `null`. @defaultValue `'00:00'` */
  cleanupDailyAt?: string | null;
  /** Cleanup period, `Nh` or `Nd`, or `null` (see `createCleanupSchedule`). @defaultValue `'1d'` */
  cleanupEvery?: string | null;
  /** IANA zone for cleanup times and rename stamps. @defaultValue `'UTC'` */
  timeZone?: string;
  /** Rotate before a record that would make the file larger than this; `null` = no size limit. @defaultValue 1 GiB */
  maxFileSizeBytes?: number | null;
  /** Keep at most this many renamed files (oldest removed first); `null` = keep all. @defaultValue `null` */
  maxFiles?: number | null;
  /** Gzip renamed files (`.gz` is added to the name). @defaultValue `false` */
  compress?: boolean;
  /** fsync policy. @defaultValue `'flush'` */
  fsync?: FsyncPolicy;
  /** Hard cap on records held in memory; beyond it records are refused and reported. @defaultValue 8 MiB */
  maxBufferBytes?: number;
  /** Target size of one write to the file. @defaultValue 64 KiB */
  batchBytes?: number;
  /** First retry delay after a failed write; doubles up to `retryMaxDelayMs`. @defaultValue 100 */
  retryInitialDelayMs?: number;
  /** @defaultValue 5000 */
  retryMaxDelayMs?: number;
  /** Consecutive failures after which a batch is given up and reported through `'dropped'`. @defaultValue 10 */
  maxRetries?: number;
  /** How often (at most) the sink checks that its file is still the one at `location/name`. @defaultValue 1000 */
  verifyIntervalMs?: number;
  /** Epoch-ms clock. @defaultValue `Date.now` */
  clock?: () => number;
  /** @defaultValue the global timers */
  timers?: TimerSeam;
  /** @defaultValue the real file system */
  fs?: FileSystem;
}

/** A file that was renamed at a cleanup: `oldPath` is always `location/name`. */
export interface RotatedEvent {
  oldPath: string;
  newPath: string;
  reason: 'schedule' | 'size';
}

/** Records that did not reach the file, and why; they are never dropped without this event. */
export interface DroppedEvent {
  records: string[];
  error: SiemkitError<object>;
}

/** Events of {@link RotatingFileSink}. `'error'` is only emitted when someone listens (the sink never throws). */
export interface RotatingFileSinkEvents {
  rotated: [RotatedEvent];
  removed: [{ path: string }];
  dropped: [DroppedEvent];
  error: [SiemkitError<object>];
  drain: [];
}

/** Counters a user can read at any time. */
export interface RotatingFileSinkStats {
  /** Records on disk (written, and synced when `fsync` is `'always'`). */
  written: number;
  /** Records given up after `maxRetries` failures (reported through `'dropped'`). */
  failed: number;
  /** Records refused because the buffer was full or the sink had ended (reported through `'dropped'`). */
  dropped: number;
  /** Failed operations that were retried. */
  retried: number;
  bytes: number;
  rotations: number;
}

type Item =
  | { kind: 'data'; buf: Buffer; records: number; offset: number }
  | { kind: 'rotate'; reason: 'schedule' | 'size'; atMs: number };

interface Waiter {
  target: number;
  failedAtStart: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

const GIB = 1024 ** 3;
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULTS = {
  location: './logs',
  name: 'EventLog',
  cleanupDailyAt: '00:00' as string | null,
  cleanupEvery: '1d' as string | null,
  timeZone: 'UTC',
  maxFileSizeBytes: GIB as number | null,
  maxFiles: null as number | null,
  compress: false,
  fsync: 'flush' as FsyncPolicy,
  maxBufferBytes: 8 * 1024 * 1024,
  batchBytes: 64 * 1024,
  retryInitialDelayMs: 100,
  retryMaxDelayMs: 5000,
  maxRetries: 10,
  verifyIntervalMs: 1000,
};
const SEAMS = new Set(['clock', 'timers', 'fs']);

function positive(option: string, value: number | null, allowNull: boolean): void {
  if (value === null && allowNull) return;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidOptionError(
      option,
      `must be a positive number${allowNull ? ' or null' : ''}, got ${value}`,
    );
  }
}

/**
 * Appends records as lines to `location/name` and renames that file at every cleanup: on the schedule
 * (`cleanupDailyAt`/`cleanupEvery` in `timeZone`) and before a record that would pass `maxFileSizeBytes`.
 *
 * A renamed file is `name.yyyy-MM-dd_HH-mm-ss` (the cleanup instant in `timeZone`), then `.1`, `.2`, ...
 * when that name is taken, then `.gz` when compressed; nothing is overwritten. Records are cut into the
 * old or new file in the order they were accepted, so a record is never split or reordered.
 *
 * `write()` returns `false` when the caller should wait for `'drain'`. `flush()` and `end()` resolve once
 * every record accepted before the call is on disk (synced unless `fsync` is `'never'`) and reject with
 * `RecordsDroppedError` if some of them were given up. Faults (disk full, permission denied, folder
 * deleted or replaced) are `'error'` events with a stable `code`, retried with capped backoff; a
 * folder deleted while open is recreated and the open file's content restored from its descriptor.
 *
 * @example
 * ```ts
 * import { RotatingFileSink } from 'siemkit/sinks';
 * const sink = new RotatingFileSink({ location: './logs', cleanupDailyAt: '02:30', timeZone: 'Europe/Berlin' });
 * await sink.open();
 * if (!sink.write('CEF:0|...')) await new Promise((r) => sink.once('drain', r));
 * await sink.end();
 * ```
 */
export class RotatingFileSink extends EventEmitter<RotatingFileSinkEvents> {
  /** Path of the current file, `location/name`. */
  readonly path: string;
  readonly stats: RotatingFileSinkStats = {
    written: 0,
    failed: 0,
    dropped: 0,
    retried: 0,
    bytes: 0,
    rotations: 0,
  };
  /** The most recent fault, also when nobody listens to `'error'`. */
  lastError: SiemkitError<object> | undefined;

  readonly #o: typeof DEFAULTS;
  readonly #fs: FileSystem;
  readonly #clock: () => number;
  readonly #timers: TimerSeam;
  readonly #schedule: CleanupSchedule;
  readonly #highWaterBytes: number;
  readonly #nameRe: RegExp;

  #handle: FileHandleLike | undefined;
  #identity: { ino: number; dev: number } | undefined;
  #fileBytes = 0;
  #segmentBytes = 0;
  #lastVerifyMs = Number.NEGATIVE_INFINITY;
  #queue: Item[] = [];
  #tail = '';
  #tailBytes = 0;
  #tailRecords = 0;
  #bufferedBytes = 0;
  #accepted = 0;
  #settled = 0;
  // Queue items pushed and finished: a flush waits for every item pushed before it, renames included.
  #pushed = 0;
  #done = 0;
  #waiters: Waiter[] = [];
  #pumping = false;
  #pumpQueued = false;
  #needDrain = false;
  #ended = false;
  #opened: Promise<void> | undefined;
  #nextCleanupMs: number | null = null;
  #timer: unknown;
  #housekeeping: Promise<void> = Promise.resolve();
  #orphan: { handle: FileHandleLike; bytes: number } | undefined;

  constructor(options: RotatingFileSinkOptions = {}) {
    super();
    for (const key of Object.keys(options)) {
      if (!(key in DEFAULTS) && !SEAMS.has(key)) throw new InvalidOptionError(key, 'unknown option');
    }
    const o = { ...DEFAULTS };
    for (const [key, value] of Object.entries(options))
      if (value !== undefined && key in o) Object.assign(o, { [key]: value });
    if (typeof o.location !== 'string' || o.location === '')
      throw new InvalidOptionError('location', 'must be a folder path');
    if (typeof o.name !== 'string' || !/^[^/\\\0]+$/.test(o.name))
      throw new InvalidOptionError('name', 'must be a file name without a folder');
    positive('maxFileSizeBytes', o.maxFileSizeBytes, true);
    positive('maxFiles', o.maxFiles, true);
    for (const key of [
      'maxBufferBytes',
      'batchBytes',
      'retryInitialDelayMs',
      'retryMaxDelayMs',
      'verifyIntervalMs',
    ] as const) {
      positive(key, o[key], false);
    }
    if (!Number.isInteger(o.maxRetries) || o.maxRetries < 0)
      throw new InvalidOptionError('maxRetries', 'must be an integer >= 0');
    if (!['never', 'flush', 'always'].includes(o.fsync))
      throw new InvalidOptionError('fsync', 'must be "never", "flush" or "always"');
    this.#o = o;
    this.#schedule = createCleanupSchedule(o);
    this.#fs = options.fs ?? nodeFileSystem;
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers ?? {
      setTimeout: (cb, ms) => setTimeout(cb, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    this.#highWaterBytes = Math.max(1, Math.floor(o.maxBufferBytes / 2));
    this.path = join(o.location, o.name);
    const escaped = o.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.#nameRe = new RegExp(`^${escaped}\\.\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}(\\.\\d+)?(\\.gz)?$`);
  }

  /**
   * Builds a sink from validated settings (`logFile` and `format.timeZone`); `maxFileSizeGB` is read as
   * GiB (2^30 bytes). `overrides` wins over settings (seams, buffer sizes, retry timing).
   */
  static fromSettings(settings: Settings, overrides: RotatingFileSinkOptions = {}): RotatingFileSink {
    const f = settings.logFile;
    return new RotatingFileSink({
      location: f.location,
      name: f.name,
      cleanupDailyAt: f.cleanupDailyAt,
      cleanupEvery: f.cleanupEvery,
      timeZone: settings.format.timeZone,
      maxFileSizeBytes: f.maxFileSizeGB === null ? null : Math.max(1, Math.floor(f.maxFileSizeGB * GIB)),
      maxFiles: f.maxFiles,
      compress: f.compress,
      fsync: f.fsync,
      maxBufferBytes: f.maxBufferBytes,
      ...overrides,
    });
  }

  /**
   * Creates the folder, opens (or continues) the current file and arms the cleanup timer. A file left
   * from an earlier run is renamed first when a cleanup fell due since it was last written.
   * @throws FileOpenError (`SIEMKIT_ERR_FILE_OPEN`, `fields.code` e.g. `EACCES`) when the location is unwritable.
   */
  open(): Promise<void> {
    this.#opened ??= this.#openFirst().catch((error: unknown) => {
      this.#opened = undefined;
      throw error;
    });
    return this.#opened;
  }

  /** Number of bytes accepted but not yet on disk. */
  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /**
   * Accepts one record (a line without `\n`; the sink adds it). Returns `false` when the caller should
   * wait for `'drain'`; a record that does not fit under `maxBufferBytes` is refused and reported
   * through `'dropped'`.
   * @throws InvalidRecordError when the record contains a line feed.
   */
  write(record: string): boolean {
    if (record.includes('\n')) throw new InvalidRecordError('contains a line feed');
    const bytes = Buffer.byteLength(record) + 1;
    if (this.#ended || (this.#bufferedBytes > 0 && this.#bufferedBytes + bytes > this.#o.maxBufferBytes)) {
      this.stats.dropped++;
      this.#needDrain = !this.#ended;
      this.emit('dropped', {
        records: [record],
        error: new RecordsDroppedError(1, this.#ended ? 'ended' : 'buffer-full'),
      });
      return false;
    }
    const max = this.#o.maxFileSizeBytes;
    if (max !== null && this.#segmentBytes > 0 && this.#segmentBytes + bytes > max) {
      this.#enqueueRotation('size', this.#clock());
    }
    // One string per batch, turned into one Buffer per ~64 KiB (bench/file-sink.bench.ts: 1 write per record is 0.03x).
    this.#tail += record + '\n';
    this.#tailBytes += bytes;
    this.#tailRecords++;
    this.#segmentBytes += bytes;
    this.#bufferedBytes += bytes;
    this.#accepted++;
    if (this.#tailBytes >= this.#o.batchBytes) this.#cutTail();
    this.#kick();
    if (this.#bufferedBytes >= this.#highWaterBytes) {
      this.#needDrain = true;
      return false;
    }
    return true;
  }

  /**
   * Resolves when every record accepted so far is on disk (and synced unless `fsync` is `'never'`) and
   * finished renames, compression and retention are done. Rejects with `RecordsDroppedError` when some
   * of those records were given up after `maxRetries` failures.
   */
  flush(): Promise<void> {
    this.#cutTail();
    if (this.#opened === undefined && this.#accepted > this.#settled) {
      return Promise.reject(new FileOpenError({ code: 'ENOTOPEN', path: this.path, op: 'open' }));
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ target: this.#pushed, failedAtStart: this.stats.failed, resolve, reject });
      this.#kick();
      this.#settleWaiters();
    });
  }

  /** Stops the cleanup timer, flushes (see `flush()`), and closes the file. Later writes are refused. */
  async end(): Promise<void> {
    this.#ended = true;
    this.#disarm();
    try {
      await this.flush();
    } finally {
      const handle = this.#handle;
      this.#handle = undefined;
      await handle?.close().catch(() => {});
    }
  }

  async #openFirst(): Promise<void> {
    await this.#openCurrent();
    const st = await this.#handle!.stat();
    const missed = st.size > 0 ? this.#schedule.next(st.mtimeMs) : null;
    const max = this.#o.maxFileSizeBytes;
    let atMs: number | undefined;
    let reason: 'schedule' | 'size' = 'schedule';
    if (missed !== null && missed <= this.#clock()) atMs = missed;
    else if (max !== null && st.size >= max) [atMs, reason] = [this.#clock(), 'size'];
    if (atMs === undefined) this.#segmentBytes += st.size;
    else {
      this.#queue.unshift({ kind: 'rotate', reason, atMs });
      this.#pushed++;
    }
    this.#arm(this.#clock());
    this.#kick();
  }

  async #openCurrent(): Promise<void> {
    try {
      await this.#fs.mkdir(this.#o.location, { recursive: true });
      // 'a+' so a deleted file's content can be read back from the descriptor and restored.
      const handle = await this.#fs.open(this.path, 'a+');
      const st = await handle.stat();
      this.#handle = handle;
      this.#identity = { ino: st.ino, dev: st.dev };
      this.#fileBytes = st.size;
      this.#lastVerifyMs = this.#clock();
    } catch (error) {
      throw new FileOpenError({ code: errnoCode(error), path: this.path, op: 'open' }, error);
    }
  }

  #cutTail(): void {
    if (this.#tailRecords === 0) return;
    this.#queue.push({ kind: 'data', buf: Buffer.from(this.#tail), records: this.#tailRecords, offset: 0 });
    this.#pushed++;
    this.#tail = '';
    this.#tailBytes = 0;
    this.#tailRecords = 0;
  }

  #enqueueRotation(reason: 'schedule' | 'size', atMs: number): void {
    this.#cutTail();
    this.#queue.push({ kind: 'rotate', reason, atMs });
    this.#pushed++;
    this.#segmentBytes = 0;
    this.#kick();
  }

  #arm(fromMs: number): void {
    this.#nextCleanupMs = this.#schedule.next(fromMs);
    this.#setTimer();
  }

  #setTimer(): void {
    if (this.#nextCleanupMs === null || this.#ended) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, this.#nextCleanupMs - this.#clock()));
    this.#timer = this.#timers.setTimeout(() => this.#onTimer(), delay);
    this.#refTimer();
  }

  #onTimer(): void {
    this.#timer = undefined;
    const due = this.#nextCleanupMs;
    if (due === null || this.#ended) return;
    const now = this.#clock();
    if (now < due) {
      this.#setTimer();
      return;
    }
    this.#enqueueRotation('schedule', due);
    this.#arm(Math.max(now, due));
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // The cleanup timer keeps the process alive only while records wait to be written; an idle process may
  // exit, and the missed cleanup is then done by `open()` on the next start.
  #refTimer(): void {
    const t = this.#timer as { ref?: () => void; unref?: () => void } | undefined;
    if (this.#queue.length > 0 || this.#tailRecords > 0) t?.ref?.();
    else t?.unref?.();
  }

  #kick(): void {
    if (this.#pumping || this.#pumpQueued || this.#opened === undefined) return;
    this.#pumpQueued = true;
    // Deferred so records written in the same tick share one batch.
    queueMicrotask(() => {
      this.#pumpQueued = false;
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#refTimer();
    try {
      await this.#opened?.catch(() => {});
      if (this.#handle === undefined && this.#opened === undefined) return;
      for (;;) {
        if (this.#queue.length === 0) this.#cutTail();
        const item = this.#queue[0];
        if (item === undefined) break;
        await this.#withRetry(item);
        this.#queue.shift();
        this.#done++;
        if (this.#needDrain && this.#bufferedBytes < this.#highWaterBytes) {
          this.#needDrain = false;
          this.emit('drain');
        }
        if (this.#waiters.length > 0) await this.#settleWaiters();
      }
      await this.#settleWaiters();
    } finally {
      this.#pumping = false;
      this.#refTimer();
      if (this.#queue.length > 0 || this.#tailRecords > 0) this.#kick();
    }
  }

  async #withRetry(item: Item): Promise<void> {
    let delay = this.#o.retryInitialDelayMs;
    for (let attempt = 0; ; attempt++) {
      try {
        if (item.kind === 'data') await this.#writeItem(item);
        else await this.#rotate(item);
        return;
      } catch (error) {
        const fault = error as SiemkitError<object>;
        this.#report(fault);
        if (attempt >= this.#o.maxRetries) return this.#giveUp(item, fault);
        this.stats.retried++;
        await new Promise<void>((resolve) => this.#timers.setTimeout(resolve, delay));
        delay = Math.min(this.#o.retryMaxDelayMs, delay * 2);
      }
    }
  }

  async #giveUp(item: Item, error: SiemkitError<object>): Promise<void> {
    if (item.kind === 'rotate') return; // Not renaming loses no record: writing continues in the current file.
    // Cut a half-written batch off again, so the file never ends in part of a record.
    if (item.offset > 0) {
      await this.#handle?.truncate(this.#fileBytes - item.offset).catch(() => {});
      this.#fileBytes -= item.offset;
    }
    const records = item.buf.toString().split('\n');
    records.pop();
    this.stats.failed += item.records;
    this.#settled += item.records;
    this.#bufferedBytes -= item.buf.length;
    this.emit('dropped', { records, error: new RecordsDroppedError(item.records, 'write-failed', error) });
  }

  #report(error: SiemkitError<object>): void {
    this.lastError = error;
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  async #writeItem(item: Extract<Item, { kind: 'data' }>): Promise<void> {
    await this.#ensureFile(false);
    const handle = this.#handle!;
    const { buf } = item;
    try {
      // A write may be short (disk nearly full): continue from where it stopped, never skip the rest.
      while (item.offset < buf.length) {
        const { bytesWritten } = await handle.write(buf, item.offset, buf.length - item.offset);
        if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        item.offset += bytesWritten;
        this.#fileBytes += bytesWritten;
      }
      if (this.#o.fsync === 'always') await handle.sync();
    } catch (error) {
      throw new FileWriteError({ code: errnoCode(error), path: this.path, op: 'write' }, error);
    }
    this.stats.written += item.records;
    this.stats.bytes += buf.length;
    this.#settled += item.records;
    this.#bufferedBytes -= buf.length;
  }

  /**
   * Checks (at most every `verifyIntervalMs`, or when `force`d) that the open file is still the one at
   * `location/name`, and (re)opens it when it is not or when no file is open.
   */
  async #ensureFile(force: boolean): Promise<void> {
    const now = this.#clock();
    if (this.#handle !== undefined && (force || now - this.#lastVerifyMs >= this.#o.verifyIntervalMs)) {
      const code = await this.#replacedCode();
      this.#lastVerifyMs = now;
      if (code !== undefined) {
        this.#report(new FileReplacedError({ code, path: this.path, op: 'verify' }));
        const old = this.#handle;
        this.#handle = undefined;
        // Deleted (not moved away): what we wrote lives only in our descriptor; keep it to copy it back.
        if ((await old.stat()).nlink === 0) this.#orphan = { handle: old, bytes: this.#fileBytes };
        else await old.close().catch(() => {});
      }
    }
    if (this.#handle !== undefined) return;
    await this.#openCurrent();
    const orphan = this.#orphan;
    if (orphan === undefined) return;
    this.#orphan = undefined;
    try {
      await this.#copyFrom(orphan.handle, orphan.bytes);
    } catch (error) {
      throw new FileWriteError({ code: errnoCode(error), path: this.path, op: 'write' }, error);
    } finally {
      await orphan.handle.close().catch(() => {});
    }
  }

  async #replacedCode(): Promise<string | undefined> {
    try {
      const st = await this.#fs.stat(this.path);
      return st.ino !== this.#identity?.ino || st.dev !== this.#identity.dev ? 'EREPLACED' : undefined;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return code;
      throw new FileWriteError({ code, path: this.path, op: 'verify' }, error);
    }
  }

  async #copyFrom(source: FileHandleLike, length: number): Promise<void> {
    const chunk = Buffer.allocUnsafe(this.#o.batchBytes);
    for (let pos = 0; pos < length; ) {
      const { bytesRead } = await source.read(chunk, 0, Math.min(chunk.length, length - pos), pos);
      if (bytesRead <= 0) break;
      for (let off = 0; off < bytesRead; ) {
        const { bytesWritten } = await this.#handle!.write(chunk, off, bytesRead - off);
        off += bytesWritten;
      }
      pos += bytesRead;
      this.#fileBytes += bytesRead;
    }
  }

  async #rotate(item: Extract<Item, { kind: 'rotate' }>): Promise<void> {
    await this.#ensureFile(true);
    const handle = this.#handle!;
    try {
      if (this.#o.fsync !== 'never') await handle.sync();
    } catch (error) {
      throw new FileWriteError({ code: errnoCode(error), path: this.path, op: 'fsync' }, error);
    }
    const target = await this.#freeName(cleanupStamp(item.atMs, this.#o.timeZone));
    try {
      await this.#fs.rename(this.path, target);
    } catch (error) {
      throw new FileRotateError({ code: errnoCode(error), path: this.path, op: 'rename' }, error);
    }
    this.#handle = undefined;
    await handle.close().catch(() => {});
    this.stats.rotations++;
    // The rename is done; a failed reopen is retried by the next write, not by renaming again.
    await this.#openCurrent().catch((error: SiemkitError<object>) => this.#report(error));
    const event: RotatedEvent = { oldPath: this.path, newPath: target, reason: item.reason };
    this.#housekeeping = this.#housekeeping.then(() => this.#afterRotation(event));
  }

  /** `name.<stamp>`, then `.1`, `.2`, ... : the first name neither plain nor gzipped exists yet. */
  async #freeName(stamp: string): Promise<string> {
    const base = `${this.path}.${stamp}`;
    for (let i = 0; ; i++) {
      const candidate = i === 0 ? base : `${base}.${i}`;
      if (!(await this.#exists(candidate)) && !(await this.#exists(candidate + '.gz'))) return candidate;
    }
  }

  async #exists(path: string): Promise<boolean> {
    try {
      await this.#fs.stat(path);
      return true;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false;
      throw new FileRotateError({ code: errnoCode(error), path, op: 'rename' }, error);
    }
  }

  // Runs after the new file is open, so writing goes on while an old file is compressed.
  async #afterRotation(event: RotatedEvent): Promise<void> {
    if (this.#o.compress) {
      const gz = event.newPath + '.gz';
      try {
        await pipeline(
          this.#fs.createReadStream(event.newPath),
          createGzip(),
          this.#fs.createWriteStream(gz, { flags: 'wx' }),
        );
        await this.#fs.unlink(event.newPath);
        event.newPath = gz;
      } catch (error) {
        this.#report(
          new FileRotateError({ code: errnoCode(error), path: event.newPath, op: 'compress' }, error),
        );
        await this.#fs.unlink(gz).catch(() => {});
      }
    }
    this.emit('rotated', event);
    if (this.#o.maxFiles !== null) await this.#enforceRetention(this.#o.maxFiles);
  }

  async #enforceRetention(maxFiles: number): Promise<void> {
    try {
      const names = (await this.#fs.readdir(this.#o.location)).filter((n) => this.#nameRe.test(n));
      if (names.length <= maxFiles) return;
      const aged: { path: string; mtimeMs: number; name: string }[] = [];
      for (const name of names) {
        const path = join(this.#o.location, name);
        aged.push({ path, name, mtimeMs: (await this.#fs.stat(path)).mtimeMs });
      }
      // Oldest first by last write; stamps alone are ambiguous in a fall-back hour.
      aged.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
      for (const file of aged.slice(0, aged.length - maxFiles)) {
        await this.#fs.unlink(file.path);
        this.emit('removed', { path: file.path });
      }
    } catch (error) {
      this.#report(
        new FileRotateError({ code: errnoCode(error), path: this.#o.location, op: 'retention' }, error),
      );
    }
  }

  async #settleWaiters(): Promise<void> {
    const ready = this.#waiters.filter((w) => this.#done >= w.target);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => this.#done < w.target);
    let syncError: Error | undefined;
    if (this.#o.fsync === 'flush' && this.#handle !== undefined) {
      await this.#handle.sync().catch((error: unknown) => {
        syncError = new FileWriteError({ code: errnoCode(error), path: this.path, op: 'fsync' }, error);
      });
    }
    await this.#housekeeping;
    for (const w of ready) {
      const failed = this.stats.failed - w.failedAtStart;
      if (syncError) w.reject(syncError);
      else if (failed > 0) w.reject(new RecordsDroppedError(failed, 'write-failed', this.lastError));
      else w.resolve();
    }
  }
}
