import {
  CEF_DEFAULT_MAX_BYTES,
  CEF_FLEX_LABEL_MAX_BYTES,
  CEF_KEY_MAX_BYTES,
  CEF_LABELLED_KEY,
  DEFAULT_CEF_MAPPING,
} from './cef-mapping.js';
import { createDateFormatter, type DateFormatter } from './dates.js';
import { assembleEncoder, buildPlan } from './encoder-assembly.js';
import type { Encoder, EncoderOptions } from './encoder-options.js';
import { InvalidOptionError } from './errors.js';
import { CEF_VALUE_SPECIAL, escapeCefHeader, escapeCefValue } from './escape.js';
import { EVENT_KINDS } from './events.js';
import { kindHeader, mergeMapping, STATUS_FIELDS } from './field-mapping.js';
import { PRODUCT_DEFAULTS } from './product.js';
import {
  isAddressField,
  KIND_VARIANTS,
  type PlanStep,
  type PlanTable,
  RECORD_KEY,
  variantFields,
} from './record-plan.js';

/** Options of `createCefEncoder`; every field has a default. */
export interface CefEncoderOptions extends EncoderOptions {
  /**
   * Write a space between the header's last `|` and the extension. liblognorm (rsyslog mmnormalize,
   * lognormalizer) drops the first character after that pipe without it (upstream issue 363); the spec's
   * layout has none, and some parsers (older Vector VRL `parse_cef`) reject it. @defaultValue `false`
   */
  spaceBeforeExtension?: boolean;
}

/** Formats one event as a CEF line. */
export type CefEncoder = Encoder;

const HEADER_LIMITS = { vendor: 63, product: 63, productVersion: 31, classId: 1023, name: 512 } as const;

function headerField(option: string, value: string, maxBytes: number): string {
  const stats = { truncated: 0, neutralised: 0 };
  const escaped = escapeCefHeader(value, maxBytes, stats);
  if (stats.truncated > 0) throw new InvalidOptionError(option, `longer than ${maxBytes} bytes once escaped`);
  if (value === '') throw new InvalidOptionError(option, 'must not be empty');
  return escaped;
}

/** Checks a severity is an integer 0-10 (CEF's range; LEEF's is 1-10). */
export function checkSeverity(option: string, severity: number, min: number): void {
  if (!Number.isInteger(severity) || severity < min || severity > 10) {
    throw new InvalidOptionError(option, `must be an integer ${min}-10, got ${severity}`);
  }
}

/**
 * Builds a CEF encoder: validates options once, escapes and joins each kind's header once, and returns a
 * function that writes one record per event in a single pass. Throws `InvalidOptionError` for bad options.
 *
 * @example
 * import { createCefEncoder } from 'siemkit';
 * const cef = createCefEncoder({ vendor: 'Acme' });
 * cef({ kind: 'audit', id: 7, time: 1717243200123, user: 'bob', category: 'Users', action: 'Create' });
 */
export function createCefEncoder(options: CefEncoderOptions = {}): CefEncoder {
  const vendor = headerField('vendor', options.vendor ?? PRODUCT_DEFAULTS.vendor, HEADER_LIMITS.vendor);
  const product = headerField('product', options.product ?? PRODUCT_DEFAULTS.product, HEADER_LIMITS.product);
  const version = headerField(
    'productVersion',
    options.productVersion ?? PRODUCT_DEFAULTS.version,
    HEADER_LIMITS.productVersion,
  );
  const dates: DateFormatter = createDateFormatter(
    options.dateFormat ?? 'epoch-ms',
    options.timeZone ?? 'UTC',
  );
  const mapping = mergeMapping(DEFAULT_CEF_MAPPING, options.mapping);
  const validate = options.validate ?? true;
  const plans = {} as PlanTable;

  for (const kind of EVENT_KINDS) {
    const h = kindHeader(kind, options.headers);
    checkSeverity(`headers.${kind}.severity`, h.severity, 0);
    const header =
      `CEF:0|${vendor}|${product}|${version}|` +
      `${headerField(`headers.${kind}.classId`, h.classId, HEADER_LIMITS.classId)}|` +
      `${headerField(`headers.${kind}.name`, h.name, HEADER_LIMITS.name)}|${h.severity}|`;
    const category = escapeCefValue(h.category, CEF_KEY_MAX_BYTES.cat!, { truncated: 0, neutralised: 0 });
    const kindMapping = mapping[kind];
    const timeKey = kindMapping.time?.key;
    if (!timeKey) throw new InvalidOptionError(`mapping.${kind}.time`, 'the time field cannot be left out');
    plans[kind] = {};
    for (const variant of KIND_VARIANTS[kind]) {
      const order =
        kind === 'client-status'
          ? STATUS_FIELDS.cef[variant as 'online' | 'offline']
          : Object.keys(kindMapping);
      const used = new Map<string, string>([['cat', '(category)']]);
      const claim = (key: string, field: string) => {
        if (!RECORD_KEY.test(key))
          throw new InvalidOptionError(
            `mapping.${kind}.${field}`,
            `"${key}" is not a CEF key (letters and digits, a letter first)`,
          );
        const owner = used.get(key);
        if (owner)
          throw new InvalidOptionError(
            `mapping.${kind}.${field}`,
            `key "${key}" is already used by ${owner} (${variant} records)`,
          );
        used.set(key, field);
      };
      claim(timeKey, 'time');
      const steps: PlanStep[] = [];
      for (const field of variantFields(kind, variant, order)) {
        const m = kindMapping[field];
        if (!m || field === 'time') continue;
        claim(m.key, field);
        let suffix = '';
        if (CEF_LABELLED_KEY.test(m.key)) {
          if (!m.label)
            throw new InvalidOptionError(`mapping.${kind}.${field}`, `key "${m.key}" needs a label`);
          claim(`${m.key}Label`, field);
          const labelMax = m.key.startsWith('flex') ? CEF_FLEX_LABEL_MAX_BYTES : CEF_DEFAULT_MAX_BYTES;
          suffix = ` ${m.key}Label=${escapeCefValue(m.label, labelMax, { truncated: 0, neutralised: 0 })}`;
        }
        const maxBytes = m.maxBytes ?? CEF_KEY_MAX_BYTES[m.key] ?? CEF_DEFAULT_MAX_BYTES;
        steps.push({
          field,
          prefix: ` ${m.key}=`,
          suffix,
          maxBytes,
          trusted: validate && isAddressField(kind, field),
        });
      }
      // `cat` goes last: it never ends in a space, and the spec drops trailing spaces of the last value.
      const head = `${header}${options.spaceBeforeExtension ? ' ' : ''}${timeKey}=`;
      const trailer = ` cat=${category}`;
      plans[kind][variant] = buildPlan({
        kind,
        variant,
        steps,
        head,
        afterTime: '',
        tail: trailer,
        special: CEF_VALUE_SPECIAL,
        escape: escapeCefValue,
        formatDate: dates.format,
        validate,
      });
    }
  }

  return assembleEncoder(plans, dates, validate);
}
