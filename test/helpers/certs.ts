// Certificates made by the tests: a CA, server and client certificates it signs, and self-signed ones.
import { generate } from 'selfsigned';

export interface Pem {
  cert: string;
  key: string;
}

interface LeafOptions {
  cn: string;
  dns?: string[];
  ips?: string[];
  notBeforeDate?: Date;
  notAfterDate?: Date;
  /** Sign with this CA; self-signed when absent. */
  ca?: Pem;
}

const DAY_MS = 86_400_000;

export async function makeCa(cn = 'siemkit test CA'): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: new Date(Date.now() + 30 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function makeLeaf(options: LeafOptions): Promise<Pem> {
  const altNames = [
    ...(options.dns ?? []).map((value) => ({ type: 2 as const, value })),
    ...(options.ips ?? []).map((ip) => ({ type: 7 as const, ip })),
  ];
  const pems = await generate([{ name: 'commonName', value: options.cn }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: options.notBeforeDate ?? new Date(Date.now() - DAY_MS),
    notAfterDate: options.notAfterDate ?? new Date(Date.now() + 30 * DAY_MS),
    ...(options.ca ? { ca: { key: options.ca.key, cert: options.ca.cert } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
