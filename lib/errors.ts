/**
 * Every failure siemkit reports is a `SiemkitError` with a stable `code` and structured fields,
 * so callers branch on `code` and log the fields, never parse a message.
 */
export class SiemkitError<Fields extends object = Record<string, unknown>> extends Error {
  readonly code: string;
  readonly fields: Fields;

  constructor(code: string, message: string, fields: Fields, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SiemkitError';
    this.code = code;
    this.fields = fields;
  }
}

/** An event that does not match the event model: which field, and why. */
export interface InvalidEventFields {
  kind: string | undefined;
  field: string;
  reason: string;
}

export class InvalidEventError extends SiemkitError<InvalidEventFields> {
  constructor(fields: InvalidEventFields) {
    super('SIEMKIT_ERR_INVALID_EVENT', `${fields.field}: ${fields.reason}`, fields);
    this.name = 'InvalidEventError';
  }
}

/** A settings object with problems; `problems` lists every one as `path: problem`. */
export class InvalidSettingsError extends SiemkitError<{ problems: string[] }> {
  constructor(problems: string[]) {
    super('SIEMKIT_ERR_INVALID_SETTINGS', `invalid settings:\n  ${problems.join('\n  ')}`, { problems });
    this.name = 'InvalidSettingsError';
  }
}

/** Options passed to an encoder or sink factory that cannot work; thrown at creation. */
export class InvalidOptionError extends SiemkitError<{ option: string; reason: string }> {
  constructor(option: string, reason: string) {
    super('SIEMKIT_ERR_INVALID_OPTION', `${option}: ${reason}`, { option, reason });
    this.name = 'InvalidOptionError';
  }
}

/** A line of NDJSON input that is not JSON at all. */
export class InvalidJsonError extends SiemkitError<{ line: number; reason: string }> {
  constructor(line: number, reason: string) {
    super('SIEMKIT_ERR_INVALID_JSON', `line ${line}: ${reason}`, { line, reason });
    this.name = 'InvalidJsonError';
  }
}
