import { once } from 'node:events';
import type { Writable } from 'node:stream';

const BATCH_CHARS = 32 * 1024; // string batches past ~64K characters slow down (performance.md)

/** Writes lines to a stream in ~32K-character batches and waits for `'drain'` when it pushes back. */
export class BatchedLineWriter {
  #pending = '';
  constructor(private readonly out: Writable) {}

  async write(line: string): Promise<void> {
    this.#pending += line + '\n';
    if (this.#pending.length >= BATCH_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending === '') return;
    const chunk = this.#pending;
    this.#pending = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
