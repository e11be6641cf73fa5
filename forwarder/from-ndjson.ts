import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InvalidJsonError } from '../lib/errors.js';

/** NDJSON values with the number of the line the latest one came from. */
export interface NdjsonSource extends AsyncIterable<unknown> {
  /** Line number of the value most recently yielded (1-based), for `line N: reason` messages. */
  readonly line: number;
}

/** Options of {@link fromNdjson}. */
export interface FromNdjsonOptions {
  /** Called for a line that is not JSON; it is skipped. Without it, the iteration throws the error. */
  onBadLine?: (error: InvalidJsonError) => void;
}

/**
 * Parsed values of an NDJSON stream, pulled lazily: the stream is paused while the forwarder waits for a
 * sink, so memory stays bounded whatever the input size. Blank lines are skipped.
 *
 * @example
 * import { createForwarder, fromNdjson } from 'siemkit/forwarder';
 * const input = fromNdjson(process.stdin, { onBadLine: (e) => console.error(e.message) });
 * await createForwarder(settings, { onInvalid: (e) => console.error(`line ${input.line}: ${e.message}`) }).run(input);
 */
export function fromNdjson(readable: Readable, options: FromNdjsonOptions = {}): NdjsonSource {
  let line = 0;
  async function* values(): AsyncGenerator<unknown> {
    const lines = createInterface({ input: readable, crlfDelay: Number.POSITIVE_INFINITY });
    // A destroyed input (Ctrl-C) emits no 'end'; without this the iteration would wait forever.
    readable.once('close', () => lines.close());
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        const bad = new InvalidJsonError(n, `not JSON: ${(error as Error).message}`);
        if (!options.onBadLine) throw bad;
        options.onBadLine(bad);
        continue;
      }
      line = n;
      yield value;
    }
  }
  const iterable = values();
  return {
    get line() {
      return line;
    },
    [Symbol.asyncIterator]: () => iterable,
  };
}
