import { SiemkitError } from '../lib/errors.js';

/** Fields of an {@link UndeliveredError}. */
export interface UndeliveredFields {
  /** Records accepted by the sink that were not handed to any receiver. */
  records: number;
  bytes: number;
  /** Why: the operation that gave up. */
  reason: string;
  /** The last connection error code, when there was one. */
  lastErrorCode?: string;
}

/** `flush()` or `end()` gave up with records still undelivered (`SIEMKIT_ERR_UNDELIVERED`). */
export class UndeliveredError extends SiemkitError<UndeliveredFields> {
  constructor(fields: UndeliveredFields, options?: { cause?: unknown }) {
    super(
      'SIEMKIT_ERR_UNDELIVERED',
      `${fields.records} records (${fields.bytes} bytes) undelivered: ${fields.reason}`,
      fields,
      options,
    );
    this.name = 'UndeliveredError';
  }
}

/** `write()` after `end()` (`SIEMKIT_ERR_SINK_ENDED`): a programming error, thrown. */
export class SinkEndedError extends SiemkitError<{ sink: string }> {
  constructor(sink: string) {
    super('SIEMKIT_ERR_SINK_ENDED', `${sink}: write() after end()`, { sink });
    this.name = 'SinkEndedError';
  }
}
