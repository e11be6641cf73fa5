import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InvalidJsonError } from '../lib/errors.js';

/** One NDJSON input line: its number, and the parsed value or why it is not JSON. */
export type NdjsonLine = { line: number; value: unknown } | { line: number; error: InvalidJsonError };

/**
 * Reads NDJSON lazily: the input is paused while the consumer is busy (async iteration), so memory stays
 * constant whatever the input size. Blank lines are skipped; they hold no event.
 */
export async function* ndjsonLines(input: Readable): AsyncGenerator<NdjsonLine> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (error) {
      yield { line, error: new InvalidJsonError(line, `not JSON: ${(error as Error).message}`) };
    }
  }
}
