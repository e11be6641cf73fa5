import type { OperatorFunction } from 'rxjs';
import type { SiemEvent } from '../lib/events.js';
import { type FormattedRecord, formatterOptions } from '../lib/record-formatter.js';
import type { FormatSettings } from '../lib/settings.js';
import { formatRecords, type InvalidEventHandling } from './format-records.js';

/**
 * Formats per the settings' `format` section (`logFormat`, `dateFormat`, `timeZone`, header, delimiter).
 *
 * @example
 * import { parseSettings } from 'siemkit';
 * import { formatFromSettings } from 'siemkit/operators';
 * events$.pipe(formatFromSettings(parseSettings(json).format, { onInvalid: (e) => log.warn(e.message) }));
 */
export function formatFromSettings(
  format: FormatSettings,
  handling: InvalidEventHandling = {},
): OperatorFunction<SiemEvent, FormattedRecord> {
  return formatRecords({ ...formatterOptions(format), ...handling });
}
