import type { Writable } from 'node:stream';
import { createRecordFormatter, formatterOptions } from '../lib/record-formatter.js';
import { formatConnectionReport, testConnection } from '../sinks/test-connection.js';
import { loadSettingsFile } from './load-settings.js';

export const TEST_CONNECTION_HELP = `Usage: siemkit test-connection --settings FILE

The settings page's "Test Connection": resolves the receiver in "forwarding", connects, performs the TLS
handshake with the same verification real sending uses, sends one test record in the configured format,
header and framing, and closes. Prints each step; a failed step comes with its reason and what to change.

Options:
  --settings FILE  the settings file (required)
  -h, --help       this help

Exit status: 0 the test record was sent, 1 a step failed (or bad usage or settings).`;

/** `siemkit test-connection`: one test record to the configured receiver. Returns the exit code. */
export async function testConnectionCommand(
  options: { settings?: string },
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  if (!options.settings) {
    io.stderr.write(`siemkit test-connection: --settings FILE is required\n\n${TEST_CONNECTION_HELP}\n`);
    return 1;
  }
  const settings = loadSettingsFile(options.settings);
  // The test record comes from the real encoder, so the receiver sees what real sending will send.
  const format = createRecordFormatter(formatterOptions(settings.format));
  const record = format.text({
    kind: 'audit',
    id: 'siemkit-test-connection',
    time: Date.now(),
    user: 'siemkit',
    category: 'Test',
    action: 'Test connection',
    details: 'A test record sent by siemkit test-connection',
  });
  const report = await testConnection(settings, { record });
  io.stdout.write(formatConnectionReport(report));
  return report.ok ? 0 : 1;
}
