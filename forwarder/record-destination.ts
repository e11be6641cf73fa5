/** Per-record metadata a syslog header needs (ignored by the file sink). */
export interface RecordMeta {
  epochMs: number;
  severity: number;
  /** Event kind, for the spool's drop counts. */
  kind?: string;
}

/**
 * What the forwarder needs from a sink: `RotatingFileSink` and `SyslogSink` both fit. `write()` returns
 * false when the caller should wait for `'drain'`; `flush()`/`end()` settle when accepted records are out.
 */
export interface RecordDestination {
  write(record: string, meta?: RecordMeta): boolean;
  flush(): Promise<void>;
  end(): Promise<void>;
  on(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/** Counters of one destination as the forwarder sees it. */
export interface DestinationStats {
  /** Records handed to the sink (file: on disk; syslog: handed to the kernel, see `delivered`). */
  accepted: number;
  /** Records the sink reports done: written to disk, or sent over the socket. */
  delivered: number;
  /** Records waiting in the forwarder's queue or the sink's buffer. */
  buffered: number;
  /** Records that will not arrive (queue overflow, sink gave up, not sent before close). */
  failed: number;
  /** Files renamed by rotation (file only). */
  rotations?: number;
  /** Syslog with a disk spool: records waiting in it, sent again (`replayed` after a disconnect, `resent` after a restart), and dropped by its drop policy per kind. */
  spool?: SpoolCounters;
}

/** Counters of the syslog destination's disk spool. */
export interface SpoolCounters {
  spooled: number;
  replayed: number;
  resent: number;
  dropped: number;
  droppedByKind: Record<string, number>;
}

/** Records that did not reach a destination, and why. */
export interface UndeliveredReport {
  destination: 'file' | 'syslog';
  records: number;
  reason: string;
}
