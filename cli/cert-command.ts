import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

export const CERT_HELP = `Usage: siemkit cert --out DIR [--host H ...] [--days N]

Writes a self-signed TLS server certificate (EC P-256, sha256) and its key for a test syslog receiver:
DIR/cert.pem and DIR/key.pem. Each --host goes into subjectAltName (names as DNS, addresses as IP). Point
forwarding.tls.serverCertificate at cert.pem, or pin the printed fingerprint (forwarding.tls.fingerprint).

Options:
  --out DIR     folder to write to (created if missing)
  --host H      a host name or IP address the receiver is reached by; repeatable (default localhost, 127.0.0.1, ::1)
  --days N      validity in days (default 365)
  -h, --help    this help

Exit status: 0 written, 1 bad usage or not writable.`;

/** `siemkit cert`: a self-signed server certificate and key. Returns the exit code. */
export async function certCommand(
  options: { out?: string; host?: string[]; days?: string },
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  if (!options.out) {
    io.stderr.write(`siemkit cert: --out DIR is required\n\n${CERT_HELP}\n`);
    return 1;
  }
  const days = Number(options.days ?? 365);
  if (!Number.isInteger(days) || days < 1) {
    io.stderr.write(`siemkit cert: --days must be a positive integer, got "${options.days}"\n`);
    return 1;
  }
  const hosts = options.host?.length ? options.host : ['localhost', '127.0.0.1', '::1'];
  const certificate = await createSelfSignedCertificate(hosts, days);
  const certPath = join(options.out, 'cert.pem');
  const keyPath = join(options.out, 'key.pem');
  try {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(certPath, certificate.cert);
    writeFileSync(keyPath, certificate.key, { mode: 0o600 }); // a private key is for the receiver's eyes only
  } catch (error) {
    io.stderr.write(`siemkit cert: cannot write to ${options.out}: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout.write(
    `certificate ${resolve(certPath)}\nkey         ${resolve(keyPath)}\nhosts       ${hosts.join(', ')}\nsha256      ${certificate.fingerprint256}\n`,
  );
  return 0;
}
