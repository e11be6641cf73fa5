import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RotatedEvent, RotatingFileSink } from '../../sinks/rotating-file-sink.js';

/** Records the sink's observable events in order. */
export function transcript(sink: RotatingFileSink) {
  const rotated: RotatedEvent[] = [];
  const removed: string[] = [];
  const errors: { code: string; fields: object }[] = [];
  const dropped: string[][] = [];
  sink.on('rotated', (e) => rotated.push({ ...e }));
  sink.on('removed', (e) => removed.push(e.path));
  sink.on('error', (e) => errors.push({ code: e.code, fields: e.fields }));
  sink.on('dropped', (e) => dropped.push(e.records));
  return { rotated, removed, errors, dropped };
}

/** A file's lines (gunzipped when it ends in .gz), without the final empty piece. */
export function linesOf(path: string): string[] {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString();
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${path} does not end with a line feed`);
  return text.slice(0, -1).split('\n');
}

/** Renamed files in `rotated` order, then the current file: every line the sink wrote. */
export function allLines(sink: RotatingFileSink, rotated: RotatedEvent[]): string[] {
  return [...rotated.flatMap((e) => linesOf(e.newPath)), ...linesOf(sink.path)];
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

export const records = (n: number, width = 60, from = 0) =>
  Array.from({ length: n }, (_, i) => `CEF:0|siemkit|test|1|100|r${from + i}|3|msg=${'x'.repeat(width)}`);

export { join };
