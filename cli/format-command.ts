import type { Readable, Writable } from 'node:stream';
import { InvalidEventError } from '../lib/errors.js';
import { createRecordFormatter, formatterOptions, type RecordFormat } from '../lib/record-formatter.js';
import { BatchedLineWriter } from './batched-writer.js';
import { loadSettingsFile } from './load-settings.js';
import { ndjsonLines } from './ndjson-lines.js';

export const FORMAT_HELP = `Usage: siemkit format [--format cef|leef|leef2] [--settings FILE]

Reads NDJSON events on stdin and writes one CEF or LEEF record per line on stdout (no syslog header).
A bad line is reported on stderr as "line N: reason", counted, and the rest are still formatted.

Options:
  --format F       cef (default), leef (LEEF 1.0, TAB) or leef2 (LEEF 2.0); overrides the settings file
  --settings FILE  a settings file; its "format" section sets dates, time zone, header and delimiter
  -h, --help       this help

Exit status: 0 every line formatted, 2 some lines rejected, 1 bad usage or settings.`;

export interface FormatCommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** `siemkit format`: NDJSON in, records out, bad lines reported and counted. Returns the exit code. */
export async function formatCommand(
  options: { format?: string; settings?: string },
  io: FormatCommandIo,
): Promise<number> {
  const settings = loadSettingsFile(options.settings);
  const format = (options.format ?? settings.format.logFormat) as RecordFormat;
  if (!['cef', 'leef', 'leef2'].includes(format)) {
    io.stderr.write(`siemkit format: --format must be cef, leef or leef2, got "${format}"\n`);
    return 1;
  }
  const formatter = createRecordFormatter({ ...formatterOptions(settings.format), format });
  const out = new BatchedLineWriter(io.stdout);
  let formatted = 0;
  let rejected = 0;
  for await (const item of ndjsonLines(io.stdin)) {
    if ('error' in item) {
      rejected++;
      io.stderr.write(`${item.error.message}\n`);
      continue;
    }
    try {
      await out.write(formatter.text(item.value as never));
      formatted++;
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      rejected++;
      io.stderr.write(`line ${item.line}: ${error.message}\n`);
    }
  }
  await out.flush();
  const { truncated, neutralised } = formatter.stats;
  const notes = [
    truncated && `${truncated} values truncated`,
    neutralised && `${neutralised} characters neutralised`,
  ].filter(Boolean);
  io.stderr.write(
    `siemkit format: ${formatted} formatted, ${rejected} rejected${notes.length ? `, ${notes.join(', ')}` : ''}\n`,
  );
  return rejected > 0 ? 2 : 0;
}
