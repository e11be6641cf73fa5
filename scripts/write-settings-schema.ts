// Regenerates settings.schema.json from the zod schema (npm run schema); a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { settingsJsonSchema } from '../lib/settings-json-schema.js';

writeFileSync(
  new URL('../settings.schema.json', import.meta.url),
  `${JSON.stringify(settingsJsonSchema(), null, 2)}\n`,
);
