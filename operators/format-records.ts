import { Observable, type OperatorFunction } from 'rxjs';
import { InvalidEventError } from '../lib/errors.js';
import type { SiemEvent } from '../lib/events.js';
import {
  createRecordFormatter,
  type FormattedRecord,
  type RecordFormatterOptions,
} from '../lib/record-formatter.js';

/** Counters a format operator keeps, per subscription, in an object the caller may share. */
export interface FormatCounters {
  formatted: number;
  rejected: number;
}

/** What a format operator does with an event that is not valid. */
export interface InvalidEventHandling {
  /**
   * Called for each invalid event, which is then skipped and counted in `counters.rejected`.
   * Without it, the stream errors with the `InvalidEventError` (the default: nothing passes silently).
   */
  onInvalid?: (error: InvalidEventError, event: unknown) => void;
  /** Counters to increment; pass your own object to read them. */
  counters?: FormatCounters;
}

/**
 * Formats each event with the encoder `options` name (CEF, LEEF 1.0 or 2.0). An invalid event errors the
 * stream with `InvalidEventError`, or goes to `onInvalid` and is counted. Any other throw errors the stream.
 *
 * @example
 * import { formatRecords } from 'siemkit/operators';
 * events$.pipe(formatRecords({ format: 'leef2' })).subscribe((r) => console.log(r.text));
 */
export function formatRecords(
  options: RecordFormatterOptions & InvalidEventHandling = {},
): OperatorFunction<SiemEvent, FormattedRecord> {
  const format = createRecordFormatter(options);
  const { onInvalid } = options;
  return (source) =>
    new Observable<FormattedRecord>((subscriber) => {
      const counters = options.counters ?? { formatted: 0, rejected: 0 };
      return source.subscribe({
        next(event) {
          let record: FormattedRecord;
          try {
            record = format(event);
          } catch (error) {
            if (onInvalid && error instanceof InvalidEventError) {
              counters.rejected++;
              try {
                onInvalid(error, event);
              } catch (callbackError) {
                subscriber.error(callbackError);
              }
              return;
            }
            subscriber.error(error);
            return;
          }
          counters.formatted++;
          subscriber.next(record);
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
