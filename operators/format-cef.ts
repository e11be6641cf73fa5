import type { OperatorFunction } from 'rxjs';
import type { CefEncoderOptions } from '../lib/cef.js';
import type { SiemEvent } from '../lib/events.js';
import type { FormattedRecord } from '../lib/record-formatter.js';
import { formatRecords, type InvalidEventHandling } from './format-records.js';

/**
 * Formats each event as CEF. See `formatRecords` for invalid events.
 *
 * @example
 * import { formatCef } from 'siemkit/operators';
 * events$.pipe(formatCef({ vendor: 'Acme' })).subscribe((r) => socket.write(r.text + '\n'));
 */
export function formatCef(
  options: CefEncoderOptions & InvalidEventHandling = {},
): OperatorFunction<SiemEvent, FormattedRecord> {
  return formatRecords({ ...options, format: 'cef' });
}
