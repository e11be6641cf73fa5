import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { isSelected } from '../lib/content-selection.js';
import type { SiemEvent } from '../lib/events.js';
import type { ContentsSettings } from '../lib/settings.js';

/**
 * Lets through the kinds the settings page's "Log File Contents" checkboxes select. Values that are not
 * events (no known `kind`) pass, so the format operator can report them instead of losing them here.
 *
 * @example
 * import { selectContent } from 'siemkit/operators';
 * events$.pipe(selectContent({ clientRecords: true, alertEvents: true, auditLogEvents: false, clientStatusEvents: false }));
 */
export function selectContent<T extends SiemEvent>(contents: ContentsSettings): MonoTypeOperatorFunction<T> {
  const all =
    contents.clientRecords && contents.alertEvents && contents.auditLogEvents && contents.clientStatusEvents;
  return filter((event: T) => {
    if (all) return true;
    const kind = (event as { kind?: unknown } | null)?.kind;
    if (kind !== 'client-record' && kind !== 'alert' && kind !== 'audit' && kind !== 'client-status')
      return true;
    return isSelected(contents, kind);
  });
}
