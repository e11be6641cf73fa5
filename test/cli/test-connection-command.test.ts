import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createSelfSignedCertificate } from '../../cli/self-signed-certificate.js';
import { startTlsSyslogReceiver } from '../../cli/tls-syslog-receiver.js';
import { runCli } from '../helpers/spawn-cli.js';

t.setTimeout(60_000);

const certificate = await createSelfSignedCertificate(['localhost', '127.0.0.1']);
const dir = mkdtempSync(join(tmpdir(), 'siemkit-tc-'));
writeFileSync(join(dir, 'cert.pem'), certificate.cert);
const settingsFor = (port: number) => {
  const path = join(dir, `settings-${port}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      forwarding: {
        enabled: true,
        host: '127.0.0.1',
        port,
        tls: { enabled: true, serverCertificate: join(dir, 'cert.pem') },
      },
    }),
  );
  return path;
};

t.test('a reachable receiver gets the test record; exit 0', async (t) => {
  const messages: string[] = [];
  const receiver = await startTlsSyslogReceiver({ ...certificate, onMessage: (m) => messages.push(m) });
  t.teardown(() => receiver.close());
  const result = await runCli(['test-connection', '--settings', settingsFor(receiver.port)]);
  t.equal(result.code, 0, result.stdout + result.stderr);
  t.match(result.stdout, /Result: OK/);
  t.ok(await receiver.waitFor(1, 2000));
  t.match(messages[0], /CEF:0\|.*siemkit test-connection/);
});

t.test('nobody listening: the failing step is named; exit 1', async (t) => {
  const receiver = await startTlsSyslogReceiver(certificate);
  const port = receiver.port;
  await receiver.close();
  const result = await runCli(['test-connection', '--settings', settingsFor(port)]);
  t.equal(result.code, 1);
  t.match(result.stdout, /FAIL\s+connect/);
  t.match(result.stdout, /Result: FAILED at step "connect"/);
});
