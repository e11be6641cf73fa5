// Shared by bench/outage.bench.ts and bench/spool.bench.ts: the record line, the child-process receiver and the sink.
import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiskSpool } from '../sinks/disk-spool.js';
import { SyslogSink } from '../sinks/syslog-sink.js';

const here = dirname(fileURLToPath(import.meta.url));

// About 466 bytes per line like performance.md's workload, with a unique externalId for loss counting.
const PREFIX =
  'CEF:0|Ekran|Ekran System|7.0|100|EkranClientEvent|3|rt=1717243200123 cat=ClientEvents suser=user42 ' +
  'shost=workstation-7.corp.example.com src=10.0.4.12 app=C:\\\\Program Files\\\\Office\\\\excel.exe ' +
  'requestClientApplication=Microsoft Excel cs1Label=Window title cs1=Quarterly report - Excel ' +
  'cs2Label=URL cs2=https://intranet.example.com/reports/q3?id\\=7 msg=Application activity externalId=';
export const line = (id: number) => `${PREFIX}${id}`;
export const tick = () => new Promise((r) => setImmediate(r));

export interface ReceiverReport {
  distinct: number;
  duplicates: number;
  records: number;
}

export function startReceiver(): {
  child: ChildProcess;
  ask: <T>(type: string, answer: string) => Promise<T>;
} {
  const child = fork(join(here, 'outage-receiver.ts'), { execArgv: ['--import', 'tsx'] });
  const ask = <T>(type: string, answer: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== answer) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      if (type) child.send({ type });
    });
  return { child, ask };
}

export function makeSink(port: number, spool: DiskSpool | null): SyslogSink {
  return new SyslogSink({
    destinations: [{ host: '127.0.0.1', port }],
    header: { style: 'rfc5424', hostname: 'bench-host.example.com', appName: 'siemkit', procId: 4242 },
    reconnect: { initialDelayMs: 50, maxDelayMs: 250 },
    ...(spool ? { spool } : {}),
  });
}
