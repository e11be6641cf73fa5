import { DEFAULT_CEF_MAPPING } from './cef-mapping.js';
import { EVENT_KINDS } from './events.js';
import { KIND_HEADERS } from './field-mapping.js';
import { DEFAULT_LEEF_MAPPING } from './leef-mapping.js';

/** README's mapping table (event field → CEF key → LEEF key per kind), made from the mappings in force. */
export function mappingTableMarkdown(): string {
  const rows = ['| kind | event field | CEF key (label) | LEEF key |', '|---|---|---|---|'];
  for (const kind of EVENT_KINDS) {
    for (const [field, cef] of Object.entries(DEFAULT_CEF_MAPPING[kind])) {
      const leef = DEFAULT_LEEF_MAPPING[kind][field];
      const cefText = cef ? `\`${cef.key}\`${cef.label ? ` (${cef.label})` : ''}` : '-';
      rows.push(`| ${kind} | \`${field}\` | ${cefText} | ${leef ? `\`${leef.key}\`` : '-'} |`);
    }
  }
  const header = [
    '| kind | CEF class ID / LEEF EventID | CEF Name | `cat` | severity |',
    '|---|---|---|---|---|',
  ];
  for (const kind of EVENT_KINDS) {
    const h = KIND_HEADERS[kind];
    header.push(`| ${kind} | ${h.classId} | ${h.name} | ${h.category} | ${h.severity} |`);
  }
  return `${header.join('\n')}\n\n${rows.join('\n')}\n`;
}
