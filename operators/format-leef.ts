import type { OperatorFunction } from 'rxjs';
import type { SiemEvent } from '../lib/events.js';
import type { LeefEncoderOptions } from '../lib/leef.js';
import type { FormattedRecord } from '../lib/record-formatter.js';
import { formatRecords, type InvalidEventHandling } from './format-records.js';

/**
 * Formats each event as LEEF 1.0 or 2.0 (`version`, default 2.0). See `formatRecords` for invalid events.
 *
 * @example
 * import { formatLeef } from 'siemkit/operators';
 * events$.pipe(formatLeef({ version: '2.0', delimiter: '^' }));
 */
export function formatLeef(
  options: LeefEncoderOptions & InvalidEventHandling = {},
): OperatorFunction<SiemEvent, FormattedRecord> {
  const { version, ...rest } = options;
  return formatRecords({ ...rest, format: version === '1.0' ? 'leef' : 'leef2' });
}
