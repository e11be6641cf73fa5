// Typed errors of the disk spool: corruption found while reading, and I/O the spool could not do.
import { SiemkitError } from '../lib/errors.js';

/** Where a spool segment stopped making sense, and how much was skipped to find the next good record. */
export interface SpoolCorruptFields {
  /** Segment file name inside the spool folder. */
  segment: string;
  /** Byte offset of the first bad byte in that file. */
  offset: number;
  /** `bad-header`, `bad-checksum` or `truncated` (a torn write at the end of a segment). */
  reason: 'bad-header' | 'bad-checksum' | 'truncated';
  /** Bytes skipped until the next valid record (or the end of the segment). */
  skippedBytes: number;
}

/** A spool segment holds bytes that are not a valid record; the records after it are still delivered. */
export class SpoolCorruptError extends SiemkitError<SpoolCorruptFields> {
  constructor(fields: SpoolCorruptFields) {
    super(
      'SIEMKIT_ERR_SPOOL_CORRUPT',
      `spool segment ${fields.segment} is corrupt at byte ${fields.offset} (${fields.reason}); skipped ${fields.skippedBytes} bytes`,
      fields,
    );
    this.name = 'SpoolCorruptError';
  }
}

/** A spool file operation failed (disk full, permissions); records it could not keep are counted as dropped. */
export class SpoolIoError extends SiemkitError<{ path: string; operation: string; errno?: string }> {
  constructor(path: string, operation: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(
      'SIEMKIT_ERR_SPOOL_IO',
      `spool ${operation} failed for ${path}${errno ? ` (${errno})` : ''}`,
      {
        path,
        operation,
        ...(errno ? { errno } : {}),
      },
      { cause },
    );
    this.name = 'SpoolIoError';
  }
}
