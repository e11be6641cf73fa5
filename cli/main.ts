import { parseArgs } from 'node:util';
import { InvalidSettingsError, SiemkitError } from '../lib/errors.js';
import { CERT_HELP, certCommand } from './cert-command.js';
import { DEMO_HELP, demoCommand } from './demo-command.js';
import { FORMAT_HELP, formatCommand } from './format-command.js';
import { RUN_HELP, runCommand } from './run-command.js';
import { TEST_CONNECTION_HELP, testConnectionCommand } from './test-connection-command.js';

const HELP = `Usage: siemkit <command> [options]

Turns user-activity and security events into CEF or LEEF and delivers them to a rotating log file
and/or as syslog over TCP or TLS.

Commands:
  demo              the main job on embedded defaults: simulated events -> ./logs + a local TLS receiver
  run               the forwarder from a settings file on NDJSON events (file or stdin)
  format            NDJSON events on stdin -> one CEF/LEEF record per line on stdout
  test-connection   the settings page's "Test Connection": one test record, says which step failed
  cert              a self-signed TLS server certificate and key for a test receiver
  help [command]    this help, or a command's

Run "siemkit <command> --help" for a command's options.`;

interface Command {
  help: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  run(values: Record<string, unknown>): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  demo: {
    help: DEMO_HELP,
    options: {
      duration: { type: 'string' },
      rate: { type: 'string' },
      format: { type: 'string' },
      logs: { type: 'string' },
    },
    run: (v) => demoCommand(v as Record<string, string | undefined>),
  },
  run: {
    help: RUN_HELP,
    options: { settings: { type: 'string' }, input: { type: 'string' } },
    run: (v) =>
      runCommand(
        { settings: v.settings as string | undefined, input: v.input as string | undefined },
        { stdin: process.stdin, stderr: process.stderr },
      ),
  },
  'test-connection': {
    help: TEST_CONNECTION_HELP,
    options: { settings: { type: 'string' } },
    run: (v) =>
      testConnectionCommand(
        { settings: v.settings as string | undefined },
        { stdout: process.stdout, stderr: process.stderr },
      ),
  },
  cert: {
    help: CERT_HELP,
    options: { out: { type: 'string' }, host: { type: 'string', multiple: true }, days: { type: 'string' } },
    run: (v) =>
      certCommand(
        {
          out: v.out as string | undefined,
          host: v.host as string[] | undefined,
          days: v.days as string | undefined,
        },
        { stdout: process.stdout, stderr: process.stderr },
      ),
  },
  format: {
    help: FORMAT_HELP,
    options: { format: { type: 'string' }, settings: { type: 'string' } },
    run: (v) =>
      formatCommand(
        { format: v.format as string | undefined, settings: v.settings as string | undefined },
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
      ),
  },
};

/** The command line: parses `argv` (without node and script), runs the command, returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(`${(topic && COMMANDS[topic]?.help) || HELP}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`siemkit: unknown command "${name}"\n\n${HELP}\n`);
    return 1;
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`siemkit ${name}: ${(error as Error).message}\n\n${command.help}\n`);
    return 1;
  }
  if (values.help) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(values);
  } catch (error) {
    if (error instanceof InvalidSettingsError) {
      process.stderr.write(
        `siemkit ${name}: invalid settings\n${error.fields.problems.map((p) => `  ${p}\n`).join('')}`,
      );
      return 1;
    }
    if (error instanceof SiemkitError) {
      process.stderr.write(`siemkit ${name}: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Runs the command line and sets the exit code; what `bin/siemkit.js` (and the tests, from source) call. */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`siemkit: ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
