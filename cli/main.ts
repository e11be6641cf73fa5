import { parseArgs } from 'node:util';
import { InvalidSettingsError, SiemkitError } from '../lib/errors.js';
import { FORMAT_HELP, formatCommand } from './format-command.js';

const HELP = `Usage: siemkit <command> [options]

Turns user-activity and security events into CEF or LEEF and delivers them to a rotating log file
and/or as syslog over TCP or TLS.

Commands:
  format            NDJSON events on stdin -> one CEF/LEEF record per line on stdout
  help [command]    this help, or a command's

Run "siemkit <command> --help" for a command's options.`;

interface Command {
  help: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  run(values: Record<string, unknown>): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
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
