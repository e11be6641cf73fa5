import type { Writable } from 'node:stream';
import type { ForwarderStats } from '../forwarder/forwarder-stats.js';

/**
 * A live progress line on a terminal (rewritten in place with `\r`); on anything else, nothing, so logs and
 * pipes get only the summary.
 */
export class ProgressLine {
  #last = { atMs: Date.now(), received: 0 };
  #shown = false;
  constructor(private readonly out: Writable & { isTTY?: boolean; columns?: number }) {}

  get enabled(): boolean {
    return this.out.isTTY === true;
  }

  update(stats: ForwarderStats): void {
    if (!this.enabled) return;
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.#last.atMs) / 1000);
    const rate = Math.round((stats.received - this.#last.received) / seconds);
    this.#last = { atMs: now, received: stats.received };
    const parts = [`${rate} events/s`, `${stats.received} received`];
    if (stats.destinations.file) parts.push(`${stats.written} written`);
    if (stats.destinations.syslog) parts.push(`${stats.sent} sent`);
    parts.push(`${stats.buffered} buffered`, `${stats.failed} failed`);
    if (stats.spool) parts.push(`${stats.spool.spooled} spooled`);
    if (stats.rejected) parts.push(`${stats.rejected} rejected`);
    const text = parts.join(' | ').slice(0, (this.out.columns ?? 120) - 1);
    this.out.write(`\r\x1b[2K${text}`);
    this.#shown = true;
  }

  /** Ends the line so that what follows starts on its own. */
  clear(): void {
    if (this.#shown) this.out.write('\r\x1b[2K');
    this.#shown = false;
  }

  /** Writes a whole line above the progress line. */
  print(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }
}
