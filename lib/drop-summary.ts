// The one record a spool sends into the SIEM after it had to drop events: how many, of which kinds, and when.
// Built here (pure) so it follows the configured format; the sink adds the syslog header like any record.
import { escapeCefHeader, escapeCefValue } from './escape.js';
import { PRODUCT_DEFAULTS } from './product.js';

/** What a spool dropped since its last summary. Times are epoch ms. */
export interface DropSummary {
  /** Records dropped in total. */
  dropped: number;
  /** Per event kind (`other` for records written without a kind). */
  byKind: Record<string, number>;
  /** Earliest and latest event time among the dropped records. */
  firstEventMs: number;
  lastEventMs: number;
  /** When the first and the last drop happened. */
  firstDropMs: number;
  lastDropMs: number;
}

/** Device Event Class ID / LEEF EventID of the summary record. */
export const DROP_SUMMARY_CLASS_ID = 'siemkit-dropped';
export const DROP_SUMMARY_NAME = 'siemkit events dropped';
/** Severity of the summary record (0-10): lost security events are worth a look. */
export const DROP_SUMMARY_SEVERITY = 8;

/** Options of {@link formatDropSummary}: the format and product names of the other records. */
export interface DropSummaryFormat {
  /** @defaultValue `'cef'` */
  format?: 'cef' | 'leef' | 'leef2';
  /** LEEF 2.0 delimiter character. @defaultValue `'^'` */
  delimiter?: string;
  vendor?: string | null;
  product?: string | null;
  productVersion?: string | null;
}

const NO_STATS = { truncated: 0, neutralised: 0 };

/** `audit:1, client-record:3` text of the per-kind counts, in a stable order (no `=`: it needs escaping in CEF). */
function kindList(byKind: Record<string, number>): string {
  return Object.keys(byKind)
    .sort()
    .map((k) => `${k}:${byKind[k]}`)
    .join(', ');
}

/**
 * Formats a {@link DropSummary} as one CEF or LEEF line (class id `siemkit-dropped`, name
 * `siemkit events dropped`): `cnt` = records dropped, `start`/`end` = first/last dropped event time,
 * `rt` = last drop, `msg` and `cs1` (`droppedByKind`) = the counts per kind, e.g. `audit:3, client-record:120`.
 *
 * @example
 * import { formatDropSummary } from 'siemkit';
 * const line = formatDropSummary(summary, { format: 'cef' });
 */
export function formatDropSummary(summary: DropSummary, options: DropSummaryFormat = {}): string {
  const vendor = options.vendor ?? PRODUCT_DEFAULTS.vendor;
  const product = options.product ?? PRODUCT_DEFAULTS.product;
  const version = options.productVersion ?? PRODUCT_DEFAULTS.version;
  const kinds = kindList(summary.byKind);
  const msg = `${summary.dropped} events dropped because the spool was full: ${kinds}`;
  const format = options.format ?? 'cef';
  if (format === 'cef') {
    const h = (v: string) => escapeCefHeader(v, 1023, { ...NO_STATS });
    const v = (x: string) => escapeCefValue(x, 4000, { ...NO_STATS });
    return (
      `CEF:0|${h(vendor)}|${h(product)}|${h(version)}|${DROP_SUMMARY_CLASS_ID}|${DROP_SUMMARY_NAME}|${DROP_SUMMARY_SEVERITY}|` +
      `cnt=${summary.dropped} start=${summary.firstEventMs} end=${summary.lastEventMs} ` +
      `rt=${summary.lastDropMs} cat=siemkit msg=${v(msg)} cs1Label=droppedByKind cs1=${v(kinds)}`
    );
  }
  // LEEF has no escapes; every value here is digits or kind names, which never hold a delimiter.
  const sep = format === 'leef' ? '\t' : (options.delimiter ?? '^');
  const head =
    format === 'leef'
      ? `LEEF:1.0|${vendor}|${product}|${version}|${DROP_SUMMARY_CLASS_ID}|`
      : `LEEF:2.0|${vendor}|${product}|${version}|${DROP_SUMMARY_CLASS_ID}|${sep}|`;
  return [
    `${head}cat=siemkit`,
    `sev=${DROP_SUMMARY_SEVERITY}`,
    `cnt=${summary.dropped}`,
    `devTime=${summary.lastDropMs}`,
    `startTime=${summary.firstEventMs}`,
    `endTime=${summary.lastEventMs}`,
    `msg=${msg.replaceAll(sep, ' ')}`,
  ].join(sep);
}
