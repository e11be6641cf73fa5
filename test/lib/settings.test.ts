import { readFileSync } from 'node:fs';
import t from 'tap';
import { InvalidSettingsError } from '../../lib/errors.js';
import { effectiveFraming, parseSettings } from '../../lib/settings.js';
import { settingsJsonSchema } from '../../lib/settings-json-schema.js';

function problemsOf(input: unknown, options?: Parameters<typeof parseSettings>[1]): string[] {
  try {
    parseSettings(input, options);
  } catch (error) {
    if (error instanceof InvalidSettingsError) {
      if (error.code !== 'SIEMKIT_ERR_INVALID_SETTINGS') throw new Error(`unexpected code ${error.code}`);
      return error.fields.problems;
    }
    throw error;
  }
  return [];
}

t.test('an empty object gets the page defaults', async (t) => {
  const s = parseSettings({});
  t.same(s.logFile, {
    enabled: false,
    location: './logs',
    name: 'EventLog',
    cleanupDailyAt: '00:00',
    cleanupEvery: '1d',
    maxFileSizeGB: 1,
    maxFiles: null,
    compress: false,
    fsync: 'flush',
    maxBufferBytes: 8 * 1024 * 1024,
  });
  t.equal(s.forwarding.enabled, false);
  t.equal(s.forwarding.host, '127.0.0.1');
  t.equal(s.forwarding.port, 514);
  t.equal(s.forwarding.tls.enabled, false);
  t.equal(s.forwarding.syslogHeader, 'rfc5424');
  t.same(s.forwarding.failover, []);
  t.same(s.format, {
    logFormat: 'cef',
    dateFormat: 'epoch-ms',
    timeZone: 'UTC',
    leefDelimiter: '^',
    vendor: null,
    product: null,
    productVersion: null,
    cefSpaceBeforeExtension: false,
  });
  t.same(s.contents, {
    clientRecords: true,
    alertEvents: true,
    auditLogEvents: true,
    clientStatusEvents: true,
  });
  t.equal(s.highAvailability, false);
});

t.test('every problem is reported at once as path: problem', async (t) => {
  const problems = problemsOf({
    logFile: { cleanupDailyAt: '24:00', maxFileSizeGB: 0, bogus: 1 },
    forwarding: {
      port: 'abc',
      host: 'not a host!',
      tls: { fingerprint: 'xyz' },
      failover: [{ host: '10.0.0.2', port: 70000 }],
    },
    format: { logFormat: 'xml', timeZone: 'Mars/Olympus' },
    contents: { alertEvents: 'yes' },
    extra: true,
  });
  t.same(
    problems.sort(),
    [
      'extra: unknown key',
      'contents.alertEvents: must be true or false, got "yes"',
      'format.logFormat: must be "cef", "leef" or "leef2", got "xml"',
      'format.timeZone: must be an IANA time zone such as "Europe/Berlin", got "Mars/Olympus"',
      'forwarding.failover.0.port: must be an integer 1-65535, got 70000',
      'forwarding.host: must be an IPv4 address, an IPv6 address or a host name, got "not a host!"',
      'forwarding.port: must be an integer 1-65535, got "abc"',
      'forwarding.tls.fingerprint: must be a sha256 fingerprint (64 hex digits, colons optional), got "xyz"',
      'logFile.bogus: unknown key',
      'logFile.cleanupDailyAt: must be HH:mm (00:00-23:59), got "24:00"',
      'logFile.maxFileSizeGB: must be a number of GB > 0, got 0',
    ].sort(),
  );
});

t.test('cross-field rules', async (t) => {
  const cases: { name: string; input: unknown; problem: string }[] = [
    {
      name: 'HA mode disables the log file',
      input: { highAvailability: true, logFile: { enabled: true } },
      problem:
        'logFile.enabled: must be false in High Availability mode (highAvailability: true); send to the SIEM instead',
    },
    {
      name: 'a client certificate needs its key',
      input: { forwarding: { enabled: true, tls: { enabled: true, clientCertificate: '/etc/hostname' } } },
      problem: 'forwarding.tls.clientKey: must be given together with forwarding.tls.clientCertificate',
    },
    {
      name: 'TLS options without TLS',
      input: { forwarding: { tls: { fingerprint: 'ab'.repeat(32) } } },
      problem:
        'forwarding.tls.enabled: must be true when fingerprint, serverName or a client certificate is set',
    },
    {
      name: 'LEEF needs a date pattern Java can read',
      input: { format: { logFormat: 'leef2', dateFormat: 'yyyy-MM-dd HH:mm z' } },
      problem:
        'format.dateFormat: cannot be used with LEEF: luxon token "z" has no Java SimpleDateFormat equivalent',
    },
    {
      name: 'LEEF header fields cannot hold a pipe',
      input: { format: { logFormat: 'leef', vendor: 'A|B' } },
      problem: 'format.vendor: must not contain "|" with LEEF (LEEF has no escape for it)',
    },
    {
      name: 'LEEF 1.0 delimiter is TAB',
      input: { format: { logFormat: 'leef', leefDelimiter: '#' } },
      problem:
        'format.leefDelimiter: LEEF 1.0 always uses TAB; choose logFormat "leef2" for a custom delimiter',
    },
    {
      name: 'reconnect delays in order',
      input: { forwarding: { reconnect: { initialDelayMs: 5000, maxDelayMs: 1000 } } },
      problem: 'forwarding.reconnect.maxDelayMs: must be >= forwarding.reconnect.initialDelayMs',
    },
  ];
  for (const c of cases) t.same(problemsOf(c.input), [c.problem], c.name);
});

t.test('cross-field rules are reported together with the schema problems', async (t) => {
  const problems = problemsOf(
    {
      forwarding: { port: 'abc', tls: { enabled: true, serverCertificate: '/nope.pem' } },
      logFile: { enabled: true, cleanupDailyAt: '25:00' },
      highAvailability: true,
      extra: 1,
    },
    { checkFile: (path) => `file not found: ${path}` },
  );
  t.same(problems.sort(), [
    'extra: unknown key',
    'forwarding.port: must be an integer 1-65535, got "abc"',
    'forwarding.tls.serverCertificate: file not found: /nope.pem',
    'logFile.cleanupDailyAt: must be HH:mm (00:00-23:59), got "25:00"',
    'logFile.enabled: must be false in High Availability mode (highAvailability: true); send to the SIEM instead',
  ]);
});

t.test('TLS files are checked through the I/O seam', async (t) => {
  const checked: string[] = [];
  const problems = problemsOf(
    { forwarding: { enabled: true, tls: { enabled: true, serverCertificate: '/nope/ca.pem' } } },
    {
      checkFile: (path) => {
        checked.push(path);
        return path === '/nope/ca.pem' ? 'file not found: /nope/ca.pem' : undefined;
      },
    },
  );
  t.same(checked, ['/nope/ca.pem']);
  t.same(problems, ['forwarding.tls.serverCertificate: file not found: /nope/ca.pem']);
});

t.test('valid values are accepted', async (t) => {
  for (const host of [
    '10.1.2.3',
    '::1',
    'fe80::1:2',
    '2001:db8::192.0.2.33',
    'siem.example.com',
    'localhost',
  ]) {
    t.equal(parseSettings({ forwarding: { host } }).forwarding.host, host, host);
  }
  t.equal(parseSettings({ logFile: { maxFileSizeGB: 0.001 } }).logFile.maxFileSizeGB, 0.001);
  t.equal(
    parseSettings({ logFile: { cleanupEvery: '12h', cleanupDailyAt: '23:59' } }).logFile.cleanupEvery,
    '12h',
  );
  t.equal(
    parseSettings({ format: { logFormat: 'leef2', leefDelimiter: 'x5E' } }).format.leefDelimiter,
    'x5E',
  );
});

t.test('framing defaults to octet counting with TLS and LF without', async (t) => {
  t.equal(
    effectiveFraming(parseSettings({ forwarding: { tls: { enabled: true } } }).forwarding),
    'octet-counting',
  );
  t.equal(effectiveFraming(parseSettings({}).forwarding), 'lf');
  t.equal(
    effectiveFraming(parseSettings({ forwarding: { framing: 'octet-counting' } }).forwarding),
    'octet-counting',
  );
});

t.test('the published settings.schema.json is the schema in force', async (t) => {
  const published = JSON.parse(readFileSync(new URL('../../settings.schema.json', import.meta.url), 'utf8'));
  t.same(published, settingsJsonSchema(), 'run `npm run schema` to regenerate');
  t.equal(published.properties.forwarding.properties.port.default, 514);
  t.equal(published.additionalProperties, false);
});
