// Real receivers (rsyslog, syslog-ng, lognormalizer) started as standalone instances on loopback,
// each with its own config, pid file and work folder, stopped by pid in t.teardown.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RECEIVERS_ROOT = process.env.SIEMKIT_RECEIVERS ?? '/opt/siemkit-receivers';
const SYSLOG_NG_ROOT = path.join(RECEIVERS_ROOT, 'syslog-ng');
const SYSLOG_NG_BIN = path.join(SYSLOG_NG_ROOT, 'usr/sbin/syslog-ng');
const SYSLOG_NG_LIBS = path.join(SYSLOG_NG_ROOT, 'usr/lib/syslog-ng');
const SYSLOG_NG_MODULES = path.join(SYSLOG_NG_LIBS, '3.38');
const RSYSLOG_BIN = '/usr/sbin/rsyslogd';
const RSYSLOG_TLS_MODULE = '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so';
const LOGNORMALIZER_BIN = '/usr/bin/lognormalizer';

export type ReceiverName = 'rsyslog' | 'syslog-ng' | 'lognormalizer';
const REQUIRED_FILES: Record<ReceiverName, readonly string[]> = {
  rsyslog: [RSYSLOG_BIN, RSYSLOG_TLS_MODULE, '/usr/lib/x86_64-linux-gnu/rsyslog/mmnormalize.so'],
  'syslog-ng': [SYSLOG_NG_BIN],
  lognormalizer: [LOGNORMALIZER_BIN],
};

/** A teardown-capable test object: the part of tap's `t` the helpers use. */
export interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * `false` when every receiver is installed, else a skip reason saying how to install them.
 * In CI (`CI` set) a missing receiver throws instead: the interop proof must not silently vanish.
 */
export function skipUnlessInstalled(...names: ReceiverName[]): string | false {
  const missing = names.filter((n) => REQUIRED_FILES[n].some((f) => !existsSync(f)));
  if (missing.length === 0) return false;
  const message = `receiver(s) not installed: ${missing.join(', ')}; install with: sudo bash .ci/install-receivers.sh`;
  if (process.env.CI) throw new Error(`CI is set but ${message}`);
  return message;
}

/** Installed package versions, read from dpkg (syslog-ng from its own binary: it is unpacked, not installed). */
export function receiverVersions(): Record<string, string> {
  const dpkg = (pkg: string) =>
    execFileSync('dpkg-query', ['-W', `-f=\${Version}`, pkg], { encoding: 'utf8' });
  const sng = execFileSync(SYSLOG_NG_BIN, ['--version'], { encoding: 'utf8', env: syslogNgEnv() });
  return {
    rsyslog: dpkg('rsyslog'),
    liblognorm: dpkg('liblognorm5'),
    'syslog-ng': /^Revision: (.+)$/m.exec(sng)?.[1] ?? 'unknown',
  };
}

/** A free loopback port (bound then released; the receiver binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForListen(
  port: number,
  child: ChildProcess,
  stderr: () => string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`receiver exited with ${child.exitCode} before listening:\n${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`receiver did not listen on ${port} within ${timeoutMs} ms:\n${stderr()}`);
}

/** A running receiver instance. */
export interface Receiver {
  port: number;
  pid: number;
  dir: string;
  /** Everything the process wrote to stderr/stdout so far (diagnostics). */
  log(): string;
  stop(): Promise<void>;
}

async function launch(
  t: Teardown,
  bin: string,
  args: (dir: string, port: number) => string[],
  config: (dir: string, port: number) => string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Receiver> {
  const dir = await mkdtemp(path.join(tmpdir(), 'siemkit-interop-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'receiver.conf'), config(dir, port));
  const child = spawn(bin, args(dir, port), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pidFile = path.join(dir, 'receiver.pid');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Stop by the pid the daemon wrote (it is the child: both run in the foreground).
    const written = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
    const pid = Number.isInteger(written) && written > 0 ? written : child.pid!;
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (!process.env.SIEMKIT_KEEP_RECEIVER_DIRS) await rm(dir, { recursive: true, force: true });
  };
  t.teardown(stop);
  try {
    await waitForListen(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, pid: child.pid!, dir, log: () => output, stop };
}

export interface RsyslogOptions {
  transport: 'tcp' | 'tls';
  /** PEM server certificate and key; required for `tls`. The CA file is the certificate itself. */
  cert?: string;
  key?: string;
  ca?: string;
  /** liblognorm v2 rulebase run by mmnormalize on the raw message; defaults to CEF_RULEBASE. */
  rulebase?: string;
  /** Keep TAB as-is (rsyslog rewrites it to `#011` by default; LEEF 1.0 needs it). */
  keepTabs?: boolean;
}

/** A receiver writing one file per line kind. */
export interface RsyslogReceiver extends Receiver {
  /** One JSON object per line: mmnormalize's `$!` tree for each record. */
  parsedFile: string;
  /** The raw message of each record, one per line (the framing removed). */
  rawFile: string;
}

/**
 * liblognorm v2 rulebase: the CEF field type after an RFC 5424 header with nil structured data,
 * after an RFC 3164 header, or at the start of the line (files). `%-:...%` parses and discards.
 */
export const CEF_RULEBASE = [
  'version=2',
  'rule=:<%-:number%>1 %-:word% %-:word% %-:word% %-:word% %-:word% - %cef:cef%',
  'rule=:<%-:number%>%-:date-rfc3164% %-:word% %cef:cef%',
  'rule=:%cef:cef%',
  '',
].join('\n');

/** rsyslog with imtcp (LF and octet-counted framing) or imtcp over gtls, mmnormalize, two omfile outputs. */
export async function startRsyslog(t: Teardown, options: RsyslogOptions): Promise<RsyslogReceiver> {
  // Checked before any temp folder exists, so a bad call leaves nothing behind.
  const tlsFiles: Record<string, string> =
    options.transport === 'tls'
      ? {
          'cert.pem': must(options.cert, 'cert'),
          'key.pem': must(options.key, 'key'),
          'ca.pem': options.ca ?? must(options.cert, 'cert'),
        }
      : {};
  const config = (dir: string, port: number) => {
    const tlsGlobals =
      options.transport === 'tls'
        ? ` defaultNetstreamDriverCAFile="${dir}/ca.pem" defaultNetstreamDriverCertFile="${dir}/cert.pem"` +
          ` defaultNetstreamDriverKeyFile="${dir}/key.pem"`
        : '';
    const tlsModule =
      options.transport === 'tls'
        ? ' streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon"'
        : '';
    const tabs = options.keepTabs ? ' parser.escapeControlCharacterTab="off"' : '';
    return `global(workDirectory="${dir}" maxMessageSize="1m"${tabs}${tlsGlobals})
module(load="imtcp"${tlsModule})
module(load="mmnormalize")
template(name="parsed" type="string" string="%$!all-json-plain%\\n")
template(name="raw" type="string" string="%rawmsg%\\n")
ruleset(name="interop") {
  action(type="mmnormalize" ruleBase="${dir}/rules.rb" useRawMsg="on")
  action(type="omfile" file="${dir}/parsed.jsonl" template="parsed")
  action(type="omfile" file="${dir}/raw.log" template="raw")
}
input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="interop" supportOctetCountedFraming="on")
`;
  };
  const receiver = await launch(
    t,
    RSYSLOG_BIN,
    (dir) => ['-n', '-f', `${dir}/receiver.conf`, '-i', `${dir}/receiver.pid`],
    (dir, port) => {
      // The rulebase and TLS files sit next to the config; rsyslog reads them all at start.
      writeFileSyncAll(dir, { 'rules.rb': options.rulebase ?? CEF_RULEBASE, ...tlsFiles });
      return config(dir, port);
    },
  );
  return {
    ...receiver,
    parsedFile: path.join(receiver.dir, 'parsed.jsonl'),
    rawFile: path.join(receiver.dir, 'raw.log'),
  };
}

function must(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`startRsyslog: transport 'tls' needs ${name}`);
  return value;
}

function writeFileSyncAll(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

function syslogNgEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LD_LIBRARY_PATH: SYSLOG_NG_LIBS };
}

export interface SyslogNgOptions {
  /** `syslog()` demands octet counting; `network()` demands LF framing. */
  source: 'syslog' | 'network';
}

export interface SyslogNgReceiver extends Receiver {
  /** Each received message's `$MSG`, one per line. */
  messagesFile: string;
}

/** syslog-ng 3.38 from the unpacked .deb, one TCP source on loopback, `$MSG` to a file. */
export async function startSyslogNg(t: Teardown, options: SyslogNgOptions): Promise<SyslogNgReceiver> {
  const receiver = await launch(
    t,
    SYSLOG_NG_BIN,
    (dir) => [
      '--foreground',
      '--no-caps',
      `--cfgfile=${dir}/receiver.conf`,
      `--pidfile=${dir}/receiver.pid`,
      `--persist-file=${dir}/syslog-ng.persist`,
      `--control=${dir}/syslog-ng.ctl`,
      `--module-path=${SYSLOG_NG_MODULES}`,
      '--stderr',
    ],
    (dir, port) => `@version: 3.38
options { log-msg-size(1048576); stats-freq(0); chain-hostnames(no); };
source s_interop { ${options.source}(ip(127.0.0.1) port(${port}) transport(tcp) log-msg-size(1048576)${options.source === 'network' ? ' flags(syslog-protocol)' : ''}); };
destination d_file { file("${dir}/messages.log" template("$MSG\\n") flush-lines(1)); };
log { source(s_interop); destination(d_file); };
`,
    syslogNgEnv(),
  );
  return { ...receiver, messagesFile: path.join(receiver.dir, 'messages.log') };
}

/** Lines of `file` (without the final LF), or [] while it does not exist. */
export async function readLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/**
 * Waits until `file` holds at least `count` lines, then a quiet period more so duplicates show up
 * too; returns all lines. On timeout returns what arrived (the caller's assertion says what is missing).
 */
export async function waitForLines(
  file: string,
  count: number,
  timeoutMs = 20_000,
  quietMs = 500,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await readLines(file)).length < count) await sleep(100);
  await sleep(quietMs);
  return readLines(file);
}

/** Runs `lognormalizer` over `file` with `rulebase` (text) and returns one JSON object per input line. */
export async function lognormalize(file: string, rulebase: string): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'siemkit-lognorm-'));
  try {
    const rb = path.join(dir, 'rules.rb');
    await writeFile(rb, rulebase);
    const input = await readFile(file);
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(LOGNORMALIZER_BIN, ['-r', rb, '-e', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      // Decode as a stream: a chunk boundary can split a UTF-8 sequence.
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.once('error', reject);
      child.once('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`lognormalizer exited ${code}: ${err}`)),
      );
      child.stdin.end(input);
    });
    return stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
