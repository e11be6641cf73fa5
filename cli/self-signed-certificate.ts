import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A PEM certificate, its private key, and its sha256 fingerprint (`AB:CD:...`). */
export interface SelfSignedCertificate {
  cert: string;
  key: string;
  fingerprint256: string;
}

const DAY_MS = 86_400_000;

/**
 * A self-signed TLS server certificate (EC P-256, sha256) for `hosts`: names go into subjectAltName as
 * DNS entries, IPv4/IPv6 addresses as IP entries, so clients verify it without disabling checks.
 */
export async function createSelfSignedCertificate(
  hosts: readonly string[],
  validDays = 365,
): Promise<SelfSignedCertificate> {
  const altNames = hosts.map((host) =>
    isIP(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host },
  );
  const pems = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    // A day back, so a receiver whose clock is a little behind still accepts it.
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: new Date(Date.now() + validDays * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return {
    cert: pems.cert,
    key: pems.private,
    fingerprint256: new X509Certificate(pems.cert).fingerprint256,
  };
}
