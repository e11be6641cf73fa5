import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./siemkit-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Resolved here, so a child started in another folder (the demo's temp cwd) still finds it.
const TSX = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `siemkit ARGS` from source in a child process. */
export function startCli(args: string[], options: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd: options.cwd ?? ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

/** Collects a child's output and exit. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `siemkit ARGS` with `input` on stdin and resolves with its exit and output. */
export function runCli(args: string[], input = '', options: { cwd?: string } = {}): Promise<CliResult> {
  const child = startCli(args, options);
  const done = finished(child);
  child.stdin?.end(input);
  return done;
}
