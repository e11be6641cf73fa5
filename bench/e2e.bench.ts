// End to end and rivals: the same simulated events, each sender formatting them as its users would, to the same
// loopback receiver process (bench/record-receiver.ts), measured in events per CPU-second of the sending process
// (all its threads: pino's transport worker counts). A round ends when the receiver has counted every record.
//   floor    pre-formatted lines (syslog header + CEF), ~32K-character string batches, tls.connect writes
//   siemkit  events -> selectContent -> formatFromSettings -> SyslogSink (TLS, octet counting)
//   rivals   winston + winston-syslog over TCP, pino + pino-socket over TCP and TLS, with a CEF template
// Target (performance.md): siemkit >= 150k events per CPU-second and ahead of every rival.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import pino from 'pino';
import { Subject } from 'rxjs';
import winston from 'winston';
import { createForwarder } from '../forwarder/create-forwarder.js';
import { createCefEncoder } from '../lib/cef.js';
import type { SiemEvent } from '../lib/events.js';
import { parseSettings } from '../lib/settings.js';
import { takeEvents } from '../lib/simulated-events.js';
import { createSyslogHeaderPrefix } from '../lib/syslog-header.js';
import { formatFromSettings } from '../operators/format-from-settings.js';
import { selectContent } from '../operators/select-content.js';
import { SyslogSink } from '../sinks/syslog-sink.js';
import { makeCa, makeLeaf } from '../test/helpers/certs.js';
import { race, report } from './harness.js';
import type { ReceiverKind } from './record-receiver.js';

const require = createRequire(import.meta.url);
// winston-syslog ships no types; this is the part of its constructor used here (lib/winston-syslog.js).
const { Syslog } = require('winston-syslog') as {
  Syslog: new (options: Record<string, unknown>) => winston.transport;
};

const EVENTS = Number(process.env.BENCH_E2E_EVENTS ?? 20_000);
const events = takeEvents(EVENTS, { seed: 11 });
const header = { style: 'rfc5424' as const, hostname: 'bench-host', appName: 'siemkit', procId: 4242 };

// What a rival's user writes: a template literal over the event, no escaping (a raw LF in a value splits the
// record; the receiver then counts one more line, which only ends that round a little early).
const SIGNATURE = { 'client-record': 100, alert: 200, audit: 300, 'client-status': 400 } as const;
function cefTemplate(e: SiemEvent): string {
  const f = e as unknown as Record<string, string | number | undefined>;
  return (
    `CEF:0|siemkit|siemkit|0.1.0|${SIGNATURE[e.kind]}|${e.kind}|3|rt=${f.time} suser=${f.user ?? ''} ` +
    `shost=${f.client ?? ''} src=${f.ipv4 ?? ''} sproc=${f.application ?? ''} request=${f.url ?? ''} ` +
    `cs5=${f.title ?? ''} cs5Label=Window Title act=${f.action ?? f.status ?? ''} msg=${f.details ?? f.alertName ?? ''}`
  );
}

async function main(): Promise<void> {
  const ca = await makeCa();
  const leaf = await makeLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], ca });
  const child = fork(new URL('./record-receiver.ts', import.meta.url), {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_RECEIVER_ARGS?.split(' ') ?? [])],
    env: { ...process.env, BENCH_TLS: JSON.stringify(leaf) },
  });
  const [{ ports }] = (await once(child, 'message')) as [{ ports: Record<ReceiverKind, number> }];

  let nextId = 0;
  const expected: Record<ReceiverKind, number> = { 'tls-octet': 0, 'tls-lf': 0, 'tcp-lf': 0 };
  // Resolves once the receiver has counted `records` more records on `kind`; a sender that loses records
  // fails the bench instead of hanging it.
  const delivered = (kind: ReceiverKind, records: number, sender: string) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      expected[kind] += records;
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`${sender}: the receiver did not get all ${expected[kind]} records in 60 s`));
      }, 60_000);
      const onMessage = (m: { type: string; id: number }) => {
        if (m.type !== 'reached' || m.id !== id) return;
        child.off('message', onMessage);
        clearTimeout(timer);
        resolve();
      };
      child.on('message', onMessage);
      child.send({ type: 'wait', kind, records: expected[kind], id });
    });

  // Floor: lines made before the round; the round only batches and writes them.
  const cef = createCefEncoder();
  const floorHeader = createSyslogHeaderPrefix(header);
  const lines = events.map((e) => `${floorHeader(e.time as number, 3)}${cef(e)}\n`);
  const floorSocket = tlsConnect({ host: '127.0.0.1', port: ports['tls-lf'], ca: [ca.cert] });
  await once(floorSocket, 'secureConnect');
  floorSocket.setNoDelay(true);
  const floor = async () => {
    let batch = '';
    for (const line of lines) {
      batch += line;
      // ~32K characters: Array#join and concatenation slow down past 65,536 (performance.md).
      if (batch.length >= 32_768) {
        if (!floorSocket.write(batch)) await once(floorSocket, 'drain');
        batch = '';
      }
    }
    floorSocket.write(batch);
    await delivered('tls-lf', EVENTS, 'floor');
    return EVENTS;
  };

  // siemkit: the operators into the sink, pausing the source on backpressure as the forwarder does.
  const settings = parseSettings({});
  const sink = new SyslogSink({
    destinations: [{ host: '127.0.0.1', port: ports['tls-octet'] }],
    tls: { ca: ca.cert },
    header,
  });
  await once(sink, 'connect');
  const source = new Subject<SiemEvent>();
  let full = false;
  source.pipe(selectContent(settings.contents), formatFromSettings(settings.format)).subscribe((r) => {
    if (!sink.write(r.text, { epochMs: r.timeMs, severity: r.severity })) full = true;
  });
  const siemkit = async () => {
    for (const e of events) {
      source.next(e);
      if (full) {
        await once(sink, 'drain');
        full = false;
      }
    }
    await sink.flush();
    await delivered('tls-octet', EVENTS, 'siemkit');
    return EVENTS;
  };

  // The whole forwarder from a settings object, as users run it (write-ahead disk spool included, in a
  // temporary folder): one run per round over the same connection.
  const work = mkdtempSync(path.join(tmpdir(), 'siemkit-e2e-'));
  const caFile = path.join(work, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  const forwarder = createForwarder(
    parseSettings({
      forwarding: {
        enabled: true,
        host: '127.0.0.1',
        port: ports['tls-octet'],
        tls: { enabled: true, serverCertificate: caFile },
        spool: { path: path.join(work, 'spool') },
      },
    }),
    { syslogSink: { header } },
  );
  const forwarderCase = async () => {
    // An iterable the forwarder pauses on backpressure; a synchronous Observable cannot be paused, and what
    // overflowed the bounded queues would fail (and throw below).
    const report = await forwarder.run(events);
    if (!report.ok) throw new Error(`forwarder lost records: ${JSON.stringify(report.undelivered)}`);
    await delivered('tls-octet', EVENTS, 'createForwarder');
    return EVENTS;
  };

  // winston 3 + winston-syslog 2 over TCP, RFC 5424, LF after each message (TCP needs a framing).
  const winstonLogger = winston.createLogger({
    levels: winston.config.syslog.levels,
    format: winston.format.printf((info) => String(info.message)),
    transports: [
      new Syslog({
        host: '127.0.0.1',
        port: ports['tcp-lf'],
        protocol: 'tcp4',
        type: 'RFC5424',
        app_name: 'siemkit',
        localhost: 'bench-host',
        eol: '\n',
      }),
    ],
  });
  winstonLogger.info('connect'); // winston-syslog connects on the first message and queues it
  await delivered('tcp-lf', 1, 'winston');
  const winstonRun = async () => {
    for (const e of events) winstonLogger.info(cefTemplate(e));
    await delivered('tcp-lf', EVENTS, 'winston');
    return EVENTS;
  };

  // pino 10 + pino-socket 8 as a transport (a worker thread, as its README shows). pino-socket has no CA
  // option (only `secure` and `noverify`), so TLS to a private CA runs with `noverify`.
  const pinoOver = (kind: 'tcp-lf' | 'tls-lf') => {
    const transport = pino.transport({
      target: require.resolve('pino-socket'),
      options: {
        address: '127.0.0.1',
        port: ports[kind],
        mode: 'tcp',
        secure: kind === 'tls-lf',
        noverify: true,
      },
    });
    return { logger: pino(transport), transport };
  };
  const pinoTcp = pinoOver('tcp-lf');
  const pinoTls = pinoOver('tls-lf');
  // The floor and pino over TLS share the tls-lf receiver; rounds run one at a time, so counts stay apart.
  const pinoRun = (p: ReturnType<typeof pinoOver>, kind: 'tcp-lf' | 'tls-lf', name: string) => async () => {
    for (const e of events) p.logger.info(cefTemplate(e));
    await delivered(kind, EVENTS, name);
    return EVENTS;
  };

  const result = await race(
    'e2e',
    'events',
    [
      { name: 'floor: pre-formatted lines, batched TLS writes', run: floor },
      { name: 'siemkit: operators -> TLS SyslogSink', run: siemkit },
      { name: 'siemkit: createForwarder (with spool) -> TLS', run: forwarderCase },
      { name: 'winston + winston-syslog, TCP', run: winstonRun },
      { name: 'pino + pino-socket, TCP', run: pinoRun(pinoTcp, 'tcp-lf', 'pino TCP') },
      { name: 'pino + pino-socket, TLS', run: pinoRun(pinoTls, 'tls-lf', 'pino TLS') },
    ],
    { clock: 'cpu', rounds: Number(process.env.BENCH_ROUNDS ?? 9), warmup: 1 },
  );
  report(result);
  await sink.end();
  await forwarder.close();
  floorSocket.end();
  winstonLogger.close();
  pinoTcp.transport.end();
  pinoTls.transport.end();
  child.send({ type: 'exit' });
  // pino's transport workers and winston-syslog's close retries would keep the process up for seconds.
  setTimeout(() => process.exit(0), 200).unref();
}

await main();
