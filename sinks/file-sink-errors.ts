import { SiemkitError } from '../lib/errors.js';

/** What a file sink error says: the OS error code (`ENOSPC`, `EACCES`, ...), the path, and the step that failed. */
export interface FileFaultFields {
  /** The `errno` code from Node (`ENOSPC`, `EACCES`, `EIO`, `ENOENT`), or `EREPLACED` when the file was swapped. */
  code: string;
  path: string;
  /** `open`, `write`, `fsync`, `verify`, `rename`, `compress` or `retention`. */
  op: string;
}

/** The log folder or file cannot be created or opened (`SIEMKIT_ERR_FILE_OPEN`). */
export class FileOpenError extends SiemkitError<FileFaultFields> {
  constructor(fields: FileFaultFields, cause?: unknown) {
    super('SIEMKIT_ERR_FILE_OPEN', `cannot open ${fields.path}: ${fields.code}`, fields, { cause });
    this.name = 'FileOpenError';
  }
}

/** Writing or syncing records failed (`SIEMKIT_ERR_FILE_WRITE`); the sink retries with backoff. */
export class FileWriteError extends SiemkitError<FileFaultFields> {
  constructor(fields: FileFaultFields, cause?: unknown) {
    super('SIEMKIT_ERR_FILE_WRITE', `cannot ${fields.op} ${fields.path}: ${fields.code}`, fields, { cause });
    this.name = 'FileWriteError';
  }
}

/** The log file or its folder was deleted or replaced while open (`SIEMKIT_ERR_FILE_REPLACED`); the sink recreates it. */
export class FileReplacedError extends SiemkitError<FileFaultFields> {
  constructor(fields: FileFaultFields) {
    super(
      'SIEMKIT_ERR_FILE_REPLACED',
      `${fields.path} was deleted or replaced while open (${fields.code})`,
      fields,
    );
    this.name = 'FileReplacedError';
  }
}

/** Renaming, compressing or removing an old file failed (`SIEMKIT_ERR_FILE_ROTATE`); no record is lost by it. */
export class FileRotateError extends SiemkitError<FileFaultFields> {
  constructor(fields: FileFaultFields, cause?: unknown) {
    super('SIEMKIT_ERR_FILE_ROTATE', `cannot ${fields.op} ${fields.path}: ${fields.code}`, fields, { cause });
    this.name = 'FileRotateError';
  }
}

/** Records refused or given up, with the reason (`SIEMKIT_ERR_RECORDS_DROPPED`). */
export class RecordsDroppedError extends SiemkitError<{
  count: number;
  reason: 'buffer-full' | 'ended' | 'write-failed';
}> {
  constructor(count: number, reason: 'buffer-full' | 'ended' | 'write-failed', cause?: unknown) {
    super(
      'SIEMKIT_ERR_RECORDS_DROPPED',
      `${count} record(s) not written: ${reason}`,
      { count, reason },
      { cause },
    );
    this.name = 'RecordsDroppedError';
  }
}

/** A record that would not be one line (`SIEMKIT_ERR_INVALID_RECORD`); thrown by `write()`. */
export class InvalidRecordError extends SiemkitError<{ reason: string }> {
  constructor(reason: string) {
    super('SIEMKIT_ERR_INVALID_RECORD', `invalid record: ${reason}`, { reason });
    this.name = 'InvalidRecordError';
  }
}

/** The errno code of a Node error, or `EUNKNOWN`. */
export function errnoCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}
