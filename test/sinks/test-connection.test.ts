import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { TlsOptions } from 'node:tls';
import t from 'tap';
import { parseSettings, type SettingsInput } from '../../lib/settings.js';
import { formatConnectionReport, testConnection } from '../../sinks/test-connection.js';
import { makeCa, makeLeaf, type Pem } from '../helpers/certs.js';
import { freePort, startReceiver } from '../helpers/receiver.js';

const DAY_MS = 86_400_000;
let ca: Pem;
let server: Pem;
let otherName: Pem;
let expired: Pem;
let client: Pem;
// PEM "files" served by the readPem seam, so settings can name them.
const files = new Map<string, string>();
const readPem = (path: string) => Buffer.from(files.get(path) ?? '');

t.before(async () => {
  ca = await makeCa();
  [server, otherName, expired, client] = await Promise.all([
    makeLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], ca }),
    makeLeaf({ cn: 'siem.example.com', dns: ['siem.example.com'], ca }),
    makeLeaf({
      cn: 'localhost',
      ips: ['127.0.0.1'],
      ca,
      notBeforeDate: new Date(Date.now() - 10 * DAY_MS),
      notAfterDate: new Date(Date.now() - DAY_MS),
    }),
    makeLeaf({ cn: 'sender-01', dns: ['sender-01'], ca }),
  ]);
  files.set('ca.pem', ca.cert);
  files.set('client.pem', client.cert);
  files.set('client.key', client.key);
  files.set('other-ca.pem', (await makeCa('other')).cert);
});

function settingsFor(
  port: number,
  tls: Record<string, unknown> | null,
  extra: SettingsInput['forwarding'] = {},
) {
  return parseSettings({
    forwarding: {
      enabled: true,
      host: '127.0.0.1',
      port,
      connectTimeoutMs: 500,
      ...(tls ? { tls: { enabled: true, ...tls } } : {}),
      ...extra,
    },
  });
}

interface Failing {
  name: string;
  server: () => TlsOptions;
  tls: () => Record<string, unknown>;
  code: string;
}

const failing: Failing[] = [
  {
    name: 'untrusted',
    server: () => ({ ...server }),
    tls: () => ({ serverCertificate: 'other-ca.pem' }),
    code: 'SIEMKIT_ERR_TLS_UNTRUSTED',
  },
  {
    name: 'name mismatch',
    server: () => ({ ...otherName }),
    tls: () => ({ serverCertificate: 'ca.pem' }),
    code: 'SIEMKIT_ERR_TLS_NAME_MISMATCH',
  },
  {
    name: 'expired',
    server: () => ({ ...expired }),
    tls: () => ({ serverCertificate: 'ca.pem' }),
    code: 'SIEMKIT_ERR_TLS_EXPIRED',
  },
  {
    name: 'pin mismatch',
    server: () => ({ ...server }),
    tls: () => ({
      serverCertificate: 'ca.pem',
      fingerprint: new X509Certificate(client.cert).fingerprint256,
    }),
    code: 'SIEMKIT_ERR_TLS_PIN_MISMATCH',
  },
  {
    name: 'client certificate required',
    server: () => ({ ...server, requestCert: true, rejectUnauthorized: true, ca: [ca.cert] }),
    tls: () => ({ serverCertificate: 'ca.pem' }),
    code: 'SIEMKIT_ERR_TLS_CLIENT_CERT_REQUIRED',
  },
];

for (const c of failing) {
  t.test(`reports the tls step for: ${c.name}`, async (t) => {
    const receiver = await startReceiver({ tls: c.server() });
    t.teardown(() => receiver.close());
    const report = await testConnection(settingsFor(receiver.port, c.tls()), { readPem });
    t.equal(report.ok, false);
    t.equal(report.failedStep, 'tls');
    t.same(
      report.steps.map((s) => [s.step, s.ok]),
      [
        ['resolve', true],
        ['connect', true],
        ['tls', false],
      ],
    );
    const failed = report.steps[2]!;
    t.equal(failed.error?.code, c.code);
    t.ok(failed.error!.hint.length > 20, 'says what to change');
    t.equal(report.error?.code, c.code);
    t.match(report.error?.fields, { host: '127.0.0.1', port: receiver.port, step: 'tls' });
    const text = formatConnectionReport(report);
    t.match(text, `FAIL tls`);
    t.match(text, c.code);
    t.match(text, 'what to change:');
    t.match(text, 'Result: FAILED at step "tls"');
    t.equal(receiver.totalBytes(), 0, 'no record was sent');
  });
}

t.test(
  'succeeds over mutual TLS: every step ok, the test record arrives framed and with the header',
  async (t) => {
    const receiver = await startReceiver({
      tls: { ...server, requestCert: true, rejectUnauthorized: true, ca: [ca.cert] },
    });
    t.teardown(() => receiver.close());
    const settings = settingsFor(
      receiver.port,
      { serverCertificate: 'ca.pem', clientCertificate: 'client.pem', clientKey: 'client.key' },
      { hostname: 'sender01' },
    );
    const report = await testConnection(settings, { readPem, record: 'CEF:0|a|b|1|test|t|1|' });
    t.equal(report.ok, true);
    t.same(
      report.steps.map((s) => s.step),
      ['resolve', 'connect', 'tls', 'send', 'close'],
    );
    t.ok(report.steps.every((s) => s.ok && s.ms >= 0));
    t.match(report.steps[2]!.detail, {
      protocol: 'TLSv1.3',
      fingerprint256: new X509Certificate(server.cert).fingerprint256,
    });
    await receiver.until(() => receiver.messages('octet-counting').length === 1);
    t.match(
      receiver.messages('octet-counting')[0]!,
      /^<86>1 \S+Z sender01 siemkit \d+ - - CEF:0\|a\|b\|1\|test\|t\|1\|$/,
    );
    t.equal(receiver.connections[0]!.peerCn, 'sender-01');
    t.match(formatConnectionReport(report), /Result: OK/);
  },
);

t.test('default test record follows the log format and plain TCP uses LF framing', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const settings = parseSettings({
    forwarding: { enabled: true, host: '127.0.0.1', port: receiver.port, syslogHeader: 'none' },
    format: { logFormat: 'leef2' },
  });
  const report = await testConnection(settings);
  t.equal(report.ok, true);
  t.equal(report.framing, 'lf');
  await receiver.until(() => receiver.messages('lf').length === 1);
  t.match(
    receiver.messages('lf')[0]!,
    /^LEEF:2\.0\|siemkit\|siemkit\|1\|test-connection\|\^\|devTime=\d{13}\^msg=/,
  );
});

t.test('refused: the connect step fails with CONNECT_REFUSED', async (t) => {
  const report = await testConnection(settingsFor(await freePort(), null));
  t.equal(report.failedStep, 'connect');
  t.equal(report.error?.code, 'SIEMKIT_ERR_CONNECT_REFUSED');
  t.same(
    report.steps.map((s) => [s.step, s.ok]),
    [
      ['resolve', true],
      ['connect', false],
    ],
  );
});

t.test('a plain port that never answers TLS: the tls step times out', async (t) => {
  const silent: Server = createServer(() => {});
  silent.listen(0, '127.0.0.1');
  await new Promise((r) => silent.once('listening', r));
  t.teardown(() => {
    silent.close();
  });
  const port = (silent.address() as { port: number }).port;
  const report = await testConnection(settingsFor(port, { serverCertificate: 'ca.pem' }), { readPem });
  t.equal(report.failedStep, 'tls');
  t.equal(report.error?.code, 'SIEMKIT_ERR_CONNECT_TIMEOUT');
  t.match(report.error?.fields.hint, /TLS/);
});

t.test('reset during the handshake: CONNECTION_RESET at the tls step', async (t) => {
  const rude: Server = createServer((s) => s.once('data', () => s.resetAndDestroy()));
  rude.listen(0, '127.0.0.1');
  await new Promise((r) => rude.once('listening', r));
  t.teardown(() => {
    rude.close();
  });
  const port = (rude.address() as { port: number }).port;
  const report = await testConnection(settingsFor(port, { serverCertificate: 'ca.pem' }), { readPem });
  t.equal(report.failedStep, 'tls');
  t.equal(report.error?.code, 'SIEMKIT_ERR_CONNECTION_RESET');
});

t.test('a name that does not resolve: the resolve step fails', async (t) => {
  const settings = parseSettings({ forwarding: { enabled: true, host: 'siem.invalid', port: 514 } });
  const lookup = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND siem.invalid'), { code: 'ENOTFOUND' });
  };
  const report = await testConnection(settings, { lookup });
  t.equal(report.failedStep, 'resolve');
  t.equal(report.error?.code, 'SIEMKIT_ERR_RESOLVE_FAILED');
  t.equal(report.steps.length, 1);
  t.match(formatConnectionReport(report), /FAIL resolve/);
});
