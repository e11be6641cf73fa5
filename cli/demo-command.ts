import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createForwarder } from '../forwarder/create-forwarder.js';
import { parseSettings } from '../lib/settings.js';
import { checkReadable } from './load-settings.js';
import { pacedEvents } from './paced-events.js';
import { ProgressLine } from './progress-line.js';
import { createSelfSignedCertificate } from './self-signed-certificate.js';
import { startTlsSyslogReceiver } from './tls-syslog-receiver.js';

export const DEMO_HELP = `Usage: siemkit demo [--duration S] [--rate N] [--format cef|leef|leef2]

The main job on embedded defaults, with nothing to install or configure: simulated events (Windows, macOS
and Linux sessions, alerts, audit entries, clients going offline/online, a few hostile values) are formatted
and written to a rotating log file in ./logs and sent over TLS to a syslog receiver this command starts on
loopback with a fresh self-signed certificate (verification stays on).

Options:
  --duration S   seconds to run (default 10); Ctrl-C stops earlier
  --rate N       events per second (default 2000)
  --format F     cef (default), leef or leef2
  --logs DIR     log folder (default ./logs)
  -h, --help     this help

Exit status: 0 when every record sent was received and written, 1 otherwise.`;

const SAMPLES = 3;

export interface DemoOptions {
  duration?: string;
  rate?: string;
  format?: string;
  logs?: string;
}

/** `siemkit demo`: simulated events -> rotating file + an in-process TLS syslog receiver. Returns the exit code. */
export async function demoCommand(
  options: DemoOptions,
  io = { stderr: process.stderr, stdout: process.stdout },
): Promise<number> {
  const durationS = Number(options.duration ?? 10);
  const rate = Number(options.rate ?? 2000);
  const format = options.format ?? 'cef';
  if (!(durationS > 0) || !(rate > 0) || !['cef', 'leef', 'leef2'].includes(format)) {
    io.stderr.write(
      'siemkit demo: --duration and --rate must be positive numbers, --format cef, leef or leef2\n',
    );
    return 1;
  }
  const out = io.stdout;
  const progress = new ProgressLine(out);
  const say = (line: string) => progress.print(line);

  const certificate = await createSelfSignedCertificate(['localhost', '127.0.0.1']);
  const certDir = mkdtempSync(join(tmpdir(), 'siemkit-demo-'));
  const certPath = join(certDir, 'receiver-cert.pem');
  writeFileSync(certPath, certificate.cert);

  const samples: string[] = [];
  const receiver = await startTlsSyslogReceiver({
    cert: certificate.cert,
    key: certificate.key,
    onMessage: (message) => {
      if (samples.length < SAMPLES) {
        samples.push(message);
        say(`receiver got: ${message.length > 300 ? `${message.slice(0, 300)}...` : message}`);
      }
    },
  });
  const settings = parseSettings(
    {
      logFile: {
        enabled: true,
        location: options.logs ?? './logs',
        name: 'EventLog',
        maxFileSizeGB: 0.001, // ~1 MiB, so rotation shows within seconds
        maxFiles: 20,
      },
      forwarding: {
        enabled: true,
        host: receiver.host,
        port: receiver.port,
        tls: { enabled: true, serverCertificate: certPath },
      },
      format: { logFormat: format },
    },
    { checkFile: checkReadable },
  );

  say(`siemkit demo: ${rate} events/s for ${durationS} s, ${format.toUpperCase()}`);
  say(`  log file:  ${resolve(settings.logFile.location, settings.logFile.name)} (rotates at ~1 MiB)`);
  say(
    `  receiver:  tls://${receiver.host}:${receiver.port}, certificate sha256 ${certificate.fingerprint256}`,
  );

  let invalid = 0;
  const forwarder = createForwarder(settings, {
    statsIntervalMs: 250,
    onInvalid: (error) => {
      invalid++;
      if (invalid <= 3) say(`rejected event: ${error.message}`);
    },
    onSinkError: (destination, error) => say(`${destination}: ${error.message}`),
  });
  const stopper = new AbortController();
  const onSignal = () => {
    say('stopping: flushing what was accepted...');
    stopper.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const statsSubscription = forwarder.stats$.subscribe((stats) => progress.update(stats));

  const startMs = Date.now();
  try {
    await forwarder.run(
      pacedEvents({
        rate,
        durationMs: durationS * 1000,
        hostileRate: 0.02,
        seed: Date.now() & 0xffff,
        startMs: Date.now(),
        signal: stopper.signal,
      }),
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const report = await forwarder.close();
  statsSubscription.unsubscribe();
  const { stats } = report;
  const allReceived = await receiver.waitFor(stats.sent, 5000);
  await receiver.close();
  progress.clear();

  const seconds = (Date.now() - startMs) / 1000;
  const lines = [
    `siemkit demo: done in ${seconds.toFixed(1)} s`,
    `  events generated  ${stats.received}`,
    `  selected          ${stats.selected}${stats.rejected ? ` (${stats.rejected} rejected as invalid)` : ''}`,
    `  written to file   ${stats.written} (${plural(stats.destinations.file?.rotations ?? 0, 'rotation')})`,
    `  sent over TLS     ${stats.sent}`,
    `  received          ${receiver.count}${receiver.errors.length ? ` (framing errors: ${receiver.errors.join('; ')})` : ''}`,
    `  failed            ${stats.failed}`,
    ...report.undelivered.map((u) => `  undelivered       ${u.records} to ${u.destination}: ${u.reason}`),
    `  log files in      ${resolve(settings.logFile.location)}`,
  ];
  out.write(`${lines.join('\n')}\n`);
  const ok = report.ok && allReceived && receiver.count === stats.sent && stats.written === stats.formatted;
  if (!ok) io.stderr.write('siemkit demo: not every record arrived (see above)\n');
  return ok ? 0 : 1;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
