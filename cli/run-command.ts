import { createReadStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { createForwarder } from '../forwarder/create-forwarder.js';
import type { ForwarderReport } from '../forwarder/forwarder-stats.js';
import { fromNdjson } from '../forwarder/from-ndjson.js';
import { loadSettingsFile } from './load-settings.js';
import { ProgressLine } from './progress-line.js';

export const RUN_HELP = `Usage: siemkit run --settings FILE [--input FILE|-]

Runs the forwarder on NDJSON events: content selection, CEF/LEEF formatting, then the rotating log file
(logFile.enabled) and syslog over TCP/TLS (forwarding.enabled), as the settings say. A bad line is reported
on stderr as "line N: reason", counted, and the rest go on. At end of input, or on Ctrl-C / SIGTERM, it
flushes what was accepted and prints a summary on stderr; on a terminal a live progress line shows
events/s, written, sent, buffered and failed.

Options:
  --settings FILE  the settings file (required)
  --input FILE     NDJSON events; "-" or absent: stdin
  -h, --help       this help

Exit status: 0 every selected event written and sent; 2 some input lines rejected; 3 some accepted records
not written or not delivered (what, where and why is printed); 1 bad usage or settings.`;

export interface RunCommandIo {
  stdin: Readable;
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

/** `siemkit run`: the whole forwarder from a settings file on NDJSON input. Returns the exit code. */
export async function runCommand(
  options: { settings?: string; input?: string },
  io: RunCommandIo,
): Promise<number> {
  if (!options.settings) {
    io.stderr.write(`siemkit run: --settings FILE is required\n\n${RUN_HELP}\n`);
    return 1;
  }
  const settings = loadSettingsFile(options.settings);
  if (!settings.logFile.enabled && !settings.forwarding.enabled) {
    io.stderr.write('siemkit run: nothing to do: enable logFile and/or forwarding in the settings\n');
    return 1;
  }
  const stream =
    options.input === undefined || options.input === '-' ? io.stdin : createReadStream(options.input);
  const inputName = options.input === undefined || options.input === '-' ? 'stdin' : options.input;
  let openError: Error | undefined;
  stream.once('error', (error: Error) => {
    openError = error;
  });

  const progress = new ProgressLine(io.stderr);
  const say = (line: string) => progress.print(line);
  let badLines = 0;
  const input = fromNdjson(stream, {
    onBadLine: (error) => {
      badLines++;
      say(error.message);
    },
  });
  const forwarder = createForwarder(settings, {
    onInvalid: (error) => say(`line ${input.line}: ${error.message}`),
    onSinkError: (destination, error) => say(`${destination}: ${error.message}`),
  });

  // A signal stops reading; what was already taken in is still flushed before exit.
  const onSignal = (signal: string) => {
    say(`siemkit run: ${signal}: flushing what was accepted`);
    forwarder.stop();
    stream.destroy();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const statsSubscription = progress.enabled
    ? forwarder.stats$.subscribe((s) => progress.update(s))
    : undefined;
  const startMs = Date.now();
  let report: ForwarderReport;
  try {
    try {
      await forwarder.run(input);
    } catch (error) {
      // A destroyed input (signal) ends the iteration with an error; that is a normal stop.
      if (!(stream.destroyed && (error as NodeJS.ErrnoException).code === 'ABORT_ERR')) throw error;
    }
  } finally {
    report = await forwarder.close();
    statsSubscription?.unsubscribe();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.clear();
  }
  if (openError && (openError as NodeJS.ErrnoException).code !== 'ERR_STREAM_DESTROYED') {
    io.stderr.write(`siemkit run: cannot read ${inputName}: ${openError.message}\n`);
    return 1;
  }
  const s = report.stats;
  const rejected = badLines + s.rejected;
  const where = forwarder.destinations.map((d) => `${d.name} ${d.where}`).join(', ');
  io.stderr.write(
    `siemkit run: ${s.received + badLines} lines in ${((Date.now() - startMs) / 1000).toFixed(1)} s: ` +
      `${s.selected} selected, ${rejected} rejected, ${s.formatted} formatted` +
      (s.destinations.file ? `, ${s.written} written` : '') +
      (s.destinations.syslog ? `, ${s.sent} sent` : '') +
      `, ${s.failed} failed (${where})` +
      (s.spool
        ? `; spool: ${s.spool.spooled} waiting, ${s.spool.replayed} replayed, ${s.spool.resent} resent, ` +
          `${s.spool.dropped} dropped${dropKinds(s.spool.droppedByKind)}`
        : '') +
      '\n',
  );
  if (!report.ok) {
    const whereOf = new Map(forwarder.destinations.map((d) => [d.name, d.where]));
    for (const u of report.undelivered) {
      io.stderr.write(
        `siemkit run: ${u.records} records not delivered to ${u.destination} (${whereOf.get(u.destination)}): ${u.reason}\n`,
      );
    }
    return 3;
  }
  return rejected > 0 ? 2 : 0;
}

/** ` (audit 3, alert 1)` when records were dropped, else nothing. */
function dropKinds(byKind: Record<string, number>): string {
  const parts = Object.entries(byKind).map(([kind, n]) => `${kind} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
