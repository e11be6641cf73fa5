import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../helpers/spawn-cli.js';

t.setTimeout(60_000);

t.test(
  'cert writes a sha256 self-signed certificate for the hosts, a private key, and the fingerprint',
  async (t) => {
    const out = join(mkdtempSync(join(tmpdir(), 'siemkit-cert-')), 'tls');
    const result = await runCli(['cert', '--out', out, '--host', 'siem.example.com', '--host', '10.1.2.3']);
    t.equal(result.code, 0, result.stderr);
    const cert = new X509Certificate(readFileSync(join(out, 'cert.pem')));
    t.match(cert.subjectAltName, /DNS:siem\.example\.com/);
    t.match(cert.subjectAltName, /IP Address:10\.1\.2\.3/);
    t.ok(cert.checkHost('siem.example.com'));
    t.ok(cert.checkIP('10.1.2.3'));
    t.notOk(cert.checkHost('localhost'), 'only the hosts asked for');
    t.ok(cert.verify(cert.publicKey), 'self-signed');
    t.ok(
      new Date(cert.validFrom) < new Date() &&
        new Date(cert.validTo) > new Date(Date.now() + 300 * 86_400_000),
    );
    t.match(result.stdout, new RegExp(`sha256\\s+${cert.fingerprint256}`));
    t.equal(statSync(join(out, 'key.pem')).mode & 0o077, 0, 'the key is readable by its owner only');
    t.match(readFileSync(join(out, 'key.pem'), 'utf8'), /-----BEGIN (EC )?PRIVATE KEY-----/);
  },
);

t.test('cert without --out is a usage error', async (t) => {
  const result = await runCli(['cert']);
  t.equal(result.code, 1);
  t.match(result.stderr, /--out DIR is required/);
});
