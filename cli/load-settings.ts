import { accessSync, constants, readFileSync } from 'node:fs';
import { InvalidSettingsError } from '../lib/errors.js';
import { type FileCheck, parseSettings, type Settings } from '../lib/settings.js';

/** Why a file named in the settings cannot be read, for `parseSettings`'s cross-field check. */
export const checkReadable: FileCheck = (path) => {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code})`;
  }
};

/** Reads and validates a settings file; every problem is reported as `path: problem`. */
export function loadSettingsFile(file: string | undefined): Settings {
  if (file === undefined) return parseSettings({}, { checkFile: checkReadable });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidSettingsError([
      `(file): cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidSettingsError([`(file): ${file} is not valid JSON: ${(error as Error).message}`]);
  }
  return parseSettings(json, { checkFile: checkReadable });
}
