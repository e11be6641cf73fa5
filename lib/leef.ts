import { checkSeverity } from './cef.js';
import { createDateFormatter, dateFormatProblem } from './dates.js';
import { assembleEncoder, buildPlan } from './encoder-assembly.js';
import type { Encoder, EncoderOptions } from './encoder-options.js';
import { InvalidOptionError } from './errors.js';
import { createLeefNeutraliser } from './escape.js';
import { EVENT_KINDS } from './events.js';
import { kindHeader, mergeMapping, STATUS_FIELDS } from './field-mapping.js';
import { DEFAULT_LEEF_MAPPING, LEEF_DEFAULT_MAX_BYTES, LEEF_KEY_MAX_BYTES } from './leef-mapping.js';
import { PRODUCT_DEFAULTS } from './product.js';
import {
  isAddressField,
  KIND_VARIANTS,
  type PlanStep,
  type PlanTable,
  RECORD_KEY,
  variantFields,
} from './record-plan.js';

/** Options of `createLeefEncoder`; every field has a default. */
export interface LeefEncoderOptions extends EncoderOptions {
  /** `'1.0'` (TAB-delimited) or `'2.0'` (delimiter written in the header). @defaultValue `'2.0'` */
  version?: '1.0' | '2.0';
  /** LEEF 2.0 delimiter: one character, or a hex code such as `x5E`. @defaultValue `'^'` */
  delimiter?: string;
}

/** Formats one event as a LEEF line. */
export type LeefEncoder = Encoder;

const RESERVED = new Set(['cat', 'sev', 'devTime', 'devTimeFormat']);
// Header fields: IBM defines no escapes, and IBM's own QRadarSink refuses a `|`; so do we.
const HEADER_FORBIDDEN = /[|\x00-\x1f\x7f-\x9f\u2028\u2029]/;

function headerField(option: string, value: string, maxBytes: number): string {
  if (value === '') throw new InvalidOptionError(option, 'must not be empty');
  if (HEADER_FORBIDDEN.test(value))
    throw new InvalidOptionError(option, 'must not contain "|" or control characters (LEEF has no escapes)');
  if (Buffer.byteLength(value) > maxBytes)
    throw new InvalidOptionError(option, `longer than ${maxBytes} bytes`);
  return value;
}

/** Reads a LEEF 2.0 delimiter setting (`^`, `x5E`, `0x09`) as the character it stands for. */
export function leefDelimiterChar(setting: string): string {
  const hex = /^0?x([0-9A-Fa-f]{1,4})$/.exec(setting);
  const char = hex ? String.fromCharCode(Number.parseInt(hex[1]!, 16)) : setting;
  if (char.length !== 1 || char === '|' || char === '=' || char === '\r' || char === '\n') {
    throw new InvalidOptionError(
      'delimiter',
      `must be one character other than |, =, CR and LF, got ${JSON.stringify(setting)}`,
    );
  }
  return char;
}

/**
 * Builds a LEEF 1.0 or 2.0 encoder. LEEF has no escapes: the delimiter and control characters in values
 * become spaces (counted in `stats.neutralised`). Throws `InvalidOptionError` for bad options, including
 * a luxon date pattern that has no Java `devTimeFormat` equivalent.
 *
 * @example
 * import { createLeefEncoder } from 'siemkit';
 * const leef = createLeefEncoder({ version: '2.0', delimiter: '^' });
 */
export function createLeefEncoder(options: LeefEncoderOptions = {}): LeefEncoder {
  const version = options.version ?? '2.0';
  const delimiterSetting = options.delimiter ?? '^';
  const sep = version === '1.0' ? '\t' : leefDelimiterChar(delimiterSetting);
  const vendor = headerField('vendor', options.vendor ?? PRODUCT_DEFAULTS.vendor, 255);
  const product = headerField('product', options.product ?? PRODUCT_DEFAULTS.product, 255);
  const productVersion = headerField(
    'productVersion',
    options.productVersion ?? PRODUCT_DEFAULTS.version,
    255,
  );
  const dateFormat = options.dateFormat ?? 'epoch-ms';
  const problem = dateFormatProblem(dateFormat, true);
  if (problem) throw new InvalidOptionError('dateFormat', problem);
  const dates = createDateFormatter(dateFormat, options.timeZone ?? 'UTC');
  const neutralise = createLeefNeutraliser(sep);
  const mapping = mergeMapping(DEFAULT_LEEF_MAPPING, options.mapping);
  const validate = options.validate ?? true;
  // The delimiter field is always written in 2.0, so no parser has to guess (spec 2.1).
  const delimiterField = version === '2.0' ? `${delimiterSetting}|` : '';
  const devTimeFormat = dates.javaPattern ? `${sep}devTimeFormat=${dates.javaPattern}` : '';
  const plans = {} as PlanTable;

  for (const kind of EVENT_KINDS) {
    const h = kindHeader(kind, options.headers);
    checkSeverity(`headers.${kind}.severity`, h.severity, 1);
    const eventId = headerField(`headers.${kind}.classId`, h.classId, 255);
    const category = neutralise(h.category, LEEF_DEFAULT_MAX_BYTES, { truncated: 0, neutralised: 0 });
    const head = `LEEF:${version}|${vendor}|${product}|${productVersion}|${eventId}|${delimiterField}cat=${category}${sep}sev=${h.severity}${sep}devTime=`;
    const kindMapping = mapping[kind];
    plans[kind] = {};
    for (const variant of KIND_VARIANTS[kind]) {
      const order =
        kind === 'client-status'
          ? STATUS_FIELDS.leef[variant as 'online' | 'offline']
          : Object.keys(kindMapping);
      const used = new Map<string, string>();
      const steps: PlanStep[] = [];
      for (const field of variantFields(kind, variant, order)) {
        const m = kindMapping[field];
        if (!m || field === 'time') continue;
        const where = `mapping.${kind}.${field}`;
        if (!RECORD_KEY.test(m.key))
          throw new InvalidOptionError(
            where,
            `"${m.key}" is not a LEEF key (letters and digits, a letter first)`,
          );
        if (RESERVED.has(m.key))
          throw new InvalidOptionError(where, `key "${m.key}" is written by the encoder`);
        const owner = used.get(m.key);
        if (owner) throw new InvalidOptionError(where, `key "${m.key}" is already used by ${owner}`);
        used.set(m.key, field);
        const step: PlanStep = {
          field,
          prefix: `${sep}${m.key}=`,
          suffix: '',
          maxBytes: m.maxBytes ?? LEEF_KEY_MAX_BYTES[m.key] ?? LEEF_DEFAULT_MAX_BYTES,
          trusted: validate && isAddressField(kind, field),
        };
        const ipv4Key = kindMapping.ipv4?.key;
        if (field === 'ipv6' && ipv4Key) {
          // The page: "IPv4 (or IPv6 if IPv4 is not available)"; offline events carry only one of them.
          if (kind === 'client-status') step.onlyIfAbsent = 'ipv4';
          step.fallback = { ifAbsent: 'ipv4', prefix: `${sep}${ipv4Key}=`, suffix: '' };
        }
        steps.push(step);
      }
      plans[kind][variant] = buildPlan({
        kind,
        variant,
        steps,
        head,
        afterTime: devTimeFormat,
        tail: '',
        special: neutralise.special,
        escape: neutralise,
        formatDate: dates.format,
        validate,
      });
    }
  }

  return assembleEncoder(plans, dates, validate);
}
