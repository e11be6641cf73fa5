import { z } from 'zod';
import { settingsSchema } from './settings.js';

/** The JSON Schema of a settings file (what editors use to complete and check it), from the same zod schema. */
export function settingsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...schema, $id: 'https://siemkit.dev/settings.schema.json', title: 'siemkit settings' };
}
