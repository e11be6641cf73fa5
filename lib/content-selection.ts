import type { EventKind } from './events.js';
import type { ContentsSettings } from './settings.js';

const CHECKBOX: Record<EventKind, keyof ContentsSettings> = {
  'client-record': 'clientRecords',
  alert: 'alertEvents',
  audit: 'auditLogEvents',
  'client-status': 'clientStatusEvents',
};

/** Whether the page's "Log File Contents" checkboxes let events of this kind through. */
export function isSelected(contents: ContentsSettings, kind: EventKind): boolean {
  return contents[CHECKBOX[kind]];
}
