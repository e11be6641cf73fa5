import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { TlsOptions } from 'node:tls';
import t from 'tap';
import { SyslogConnectionError } from '../../sinks/connection-errors.js';
import {
  normalizeFingerprint,
  openSyslogConnection,
  type SyslogTlsOptions,
} from '../../sinks/syslog-connection.js';
import { makeCa, makeLeaf, type Pem } from '../helpers/certs.js';
import { freePort, type Receiver, startReceiver } from '../helpers/receiver.js';

const DAY_MS = 86_400_000;
let ca: Pem;
let otherCa: Pem;
let server: Pem; // localhost + 127.0.0.1, signed by ca
let otherNameServer: Pem; // only siem.example.com, signed by ca
let expired: Pem;
let selfSigned: Pem;
let client: Pem;
let strangerClient: Pem;

t.before(async () => {
  [ca, otherCa] = await Promise.all([makeCa('test CA'), makeCa('other CA')]);
  [server, otherNameServer, expired, selfSigned, client, strangerClient] = await Promise.all([
    makeLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], ca }),
    makeLeaf({ cn: 'siem.example.com', dns: ['siem.example.com'], ca }),
    makeLeaf({
      cn: 'localhost',
      dns: ['localhost'],
      ips: ['127.0.0.1'],
      ca,
      notBeforeDate: new Date(Date.now() - 10 * DAY_MS),
      notAfterDate: new Date(Date.now() - DAY_MS),
    }),
    makeLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'] }),
    makeLeaf({ cn: 'sender-01', dns: ['sender-01'], ca }),
    makeLeaf({ cn: 'stranger', dns: ['stranger'], ca: otherCa }),
  ]);
});

const sha256 = (pem: Pem) => new X509Certificate(pem.cert).fingerprint256;

interface Case {
  name: string;
  server: () => TlsOptions;
  client: () => SyslogTlsOptions;
  code: string;
  systemCode?: string;
}

const refusals: Case[] = [
  {
    name: 'server signed by an unknown CA',
    server: () => ({ ...server }),
    client: () => ({ ca: otherCa.cert }),
    code: 'SIEMKIT_ERR_TLS_UNTRUSTED',
  },
  {
    name: 'self-signed server with system CAs only',
    server: () => ({ ...selfSigned }),
    client: () => ({}),
    code: 'SIEMKIT_ERR_TLS_UNTRUSTED',
    systemCode: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  },
  {
    name: 'certificate for another name',
    server: () => ({ ...otherNameServer }),
    client: () => ({ ca: ca.cert }),
    code: 'SIEMKIT_ERR_TLS_NAME_MISMATCH',
    systemCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
  },
  {
    name: 'expired certificate',
    server: () => ({ ...expired }),
    client: () => ({ ca: ca.cert }),
    code: 'SIEMKIT_ERR_TLS_EXPIRED',
    systemCode: 'CERT_HAS_EXPIRED',
  },
  {
    name: 'valid certificate, wrong pin',
    server: () => ({ ...server }),
    client: () => ({ ca: ca.cert, fingerprint: sha256(selfSigned) }),
    code: 'SIEMKIT_ERR_TLS_PIN_MISMATCH',
  },
  {
    name: 'server demands a client certificate, none given (TLS 1.3)',
    server: () => ({ ...server, requestCert: true, rejectUnauthorized: true, ca: [ca.cert] }),
    client: () => ({ ca: ca.cert }),
    code: 'SIEMKIT_ERR_TLS_CLIENT_CERT_REQUIRED',
    systemCode: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  },
  {
    name: 'server demands a client certificate, none given (TLS 1.2)',
    server: () => ({
      ...server,
      requestCert: true,
      rejectUnauthorized: true,
      ca: [ca.cert],
      maxVersion: 'TLSv1.2',
    }),
    client: () => ({ ca: ca.cert }),
    code: 'SIEMKIT_ERR_TLS_CLIENT_CERT_REQUIRED',
  },
  {
    name: 'client certificate from a CA the server does not trust',
    server: () => ({ ...server, requestCert: true, rejectUnauthorized: true, ca: [ca.cert] }),
    client: () => ({ ca: ca.cert, cert: strangerClient.cert, key: strangerClient.key }),
    code: 'SIEMKIT_ERR_TLS_CLIENT_CERT_REJECTED',
  },
  {
    name: 'server only supports TLS 1.2, client demands 1.3',
    server: () => ({ ...server, maxVersion: 'TLSv1.2' }),
    client: () => ({ ca: ca.cert, minVersion: 'TLSv1.3' }),
    code: 'SIEMKIT_ERR_TLS_HANDSHAKE_FAILED',
  },
];

for (const c of refusals) {
  t.test(`refused: ${c.name}`, async (t) => {
    const receiver = await startReceiver({ tls: c.server() });
    t.teardown(() => receiver.close());
    const error = await openSyslogConnection(
      { host: '127.0.0.1', port: receiver.port },
      { tls: c.client(), connectTimeoutMs: 5000 },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, SyslogConnectionError);
    const e = error as SyslogConnectionError;
    t.equal(e.code, c.code);
    t.match(e.fields, { host: '127.0.0.1', port: receiver.port, step: 'tls', reason: String, hint: String });
    if (c.systemCode) t.equal(e.fields.systemCode, c.systemCode);
    if (c.code === 'SIEMKIT_ERR_TLS_PIN_MISMATCH') t.equal(e.fields.actualFingerprint, sha256(server));
    if (e.fields.systemCode) t.ok(e.cause, 'keeps the cause');
    // Nothing reached the receiver: a refused handshake sends no record.
    t.equal(receiver.totalBytes(), 0);
  });
}

interface Accept {
  name: string;
  server: () => TlsOptions;
  client: () => SyslogTlsOptions;
  host?: string;
}

const accepts: Accept[] = [
  { name: 'CA-signed server', server: () => ({ ...server }), client: () => ({ ca: ca.cert }) },
  {
    name: 'self-signed server given as trust anchor',
    server: () => ({ ...selfSigned }),
    client: () => ({ ca: selfSigned.cert }),
  },
  {
    name: 'by name (SNI localhost)',
    server: () => ({ ...server }),
    client: () => ({ ca: ca.cert }),
    host: 'localhost',
  },
  {
    name: 'IP host with serverName for a certificate without the IP',
    server: () => ({ ...otherNameServer }),
    client: () => ({ ca: ca.cert, serverName: 'siem.example.com' }),
  },
  {
    name: 'pin matches (lower case, sha256: prefix, no colons)',
    server: () => ({ ...server }),
    client: () => ({ ca: ca.cert, fingerprint: `sha256:${sha256(server).replace(/:/g, '').toLowerCase()}` }),
  },
  {
    name: 'mutual TLS',
    server: () => ({ ...server, requestCert: true, rejectUnauthorized: true, ca: [ca.cert] }),
    client: () => ({ ca: ca.cert, cert: client.cert, key: client.key }),
  },
  {
    name: 'mutual TLS over TLS 1.2',
    server: () => ({
      ...server,
      requestCert: true,
      rejectUnauthorized: true,
      ca: [ca.cert],
      maxVersion: 'TLSv1.2',
    }),
    client: () => ({ ca: ca.cert, cert: client.cert, key: client.key }),
  },
];

for (const c of accepts) {
  t.test(`accepted: ${c.name}`, async (t) => {
    const receiver = await startReceiver({ tls: c.server() });
    t.teardown(() => receiver.close());
    const steps: string[] = [];
    const socket = await openSyslogConnection(
      { host: c.host ?? '127.0.0.1', port: receiver.port },
      { tls: c.client(), connectTimeoutMs: 5000, onStep: (step) => steps.push(step) },
    );
    t.same(steps, ['resolve', 'connect', 'tls']);
    socket.end('5 hello');
    await receiver.until(() => receiver.messages('octet-counting').length === 1);
    t.same(receiver.messages('octet-counting'), ['hello']);
    const opts = c.server();
    if (opts.requestCert) t.equal(receiver.connections[0]!.peerCn, 'sender-01');
  });
}

t.test('refused connection: CONNECT_REFUSED at the connect step', async (t) => {
  const port = await freePort();
  const e = (await openSyslogConnection(
    { host: '127.0.0.1', port },
    { tls: null, connectTimeoutMs: 2000 },
  ).catch((x: unknown) => x)) as SyslogConnectionError;
  t.equal(e.code, 'SIEMKIT_ERR_CONNECT_REFUSED');
  t.match(e.fields, { host: '127.0.0.1', port, step: 'connect', systemCode: 'ECONNREFUSED' });
});

t.test('a plain TCP port that never answers the TLS hello: CONNECT_TIMEOUT at the tls step', async (t) => {
  const silent: Server = createServer(() => {});
  silent.listen(0, '127.0.0.1');
  await new Promise((r) => silent.once('listening', r));
  t.teardown(() => {
    silent.close();
  });
  const port = (silent.address() as { port: number }).port;
  const started = Date.now();
  const e = (await openSyslogConnection(
    { host: '127.0.0.1', port },
    { tls: { ca: ca.cert }, connectTimeoutMs: 300 },
  ).catch((x: unknown) => x)) as SyslogConnectionError;
  t.equal(e.code, 'SIEMKIT_ERR_CONNECT_TIMEOUT');
  t.match(e.fields, { step: 'tls', port });
  t.ok(Date.now() - started < 2000, 'gives up at the budget');
});

t.test('a server that resets during the handshake: CONNECTION_RESET', async (t) => {
  const rude: Server = createServer((s) => s.once('data', () => s.resetAndDestroy())); // after the ClientHello
  rude.listen(0, '127.0.0.1');
  await new Promise((r) => rude.once('listening', r));
  t.teardown(() => {
    rude.close();
  });
  const port = (rude.address() as { port: number }).port;
  const e = (await openSyslogConnection(
    { host: '127.0.0.1', port },
    { tls: { ca: ca.cert }, connectTimeoutMs: 2000 },
  ).catch((x: unknown) => x)) as SyslogConnectionError;
  t.equal(e.code, 'SIEMKIT_ERR_CONNECTION_RESET');
  t.equal(e.fields.step, 'tls');
});

t.test('name resolution failure: RESOLVE_FAILED at the resolve step', async (t) => {
  const lookup = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND siem.invalid'), { code: 'ENOTFOUND' });
  };
  const e = (await openSyslogConnection(
    { host: 'siem.invalid', port: 6514 },
    { tls: null, connectTimeoutMs: 2000, lookup },
  ).catch((x: unknown) => x)) as SyslogConnectionError;
  t.equal(e.code, 'SIEMKIT_ERR_RESOLVE_FAILED');
  t.match(e.fields, { host: 'siem.invalid', port: 6514, step: 'resolve', systemCode: 'ENOTFOUND' });
});

t.test('a key that does not match its certificate: TLS_CONFIG', async (t) => {
  const receiver: Receiver = await startReceiver({ tls: { ...server } });
  t.teardown(() => receiver.close());
  const e = (await openSyslogConnection(
    { host: '127.0.0.1', port: receiver.port },
    { tls: { ca: ca.cert, cert: client.cert, key: strangerClient.key }, connectTimeoutMs: 2000 },
  ).catch((x: unknown) => x)) as SyslogConnectionError;
  t.equal(e.code, 'SIEMKIT_ERR_TLS_CONFIG');
  t.equal(e.fields.step, 'tls');
});

t.test('normalizeFingerprint ignores colons, case and prefix', async (t) => {
  t.equal(normalizeFingerprint('sha256:ab:CD:ef'), 'ABCDEF');
  t.equal(normalizeFingerprint('AbCd'), 'ABCD');
});
