import type {
  AlertEvent,
  AuditEvent,
  ClientRecordEvent,
  ClientStatusEvent,
  Platform,
  SiemEvent,
} from './events.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same events on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulationOptions {
  seed?: number;
  /** Share of events with a value that needs escaping (`=`, `\`, newlines). @defaultValue 0.05 */
  escapeRate?: number;
  /** Share of events with non-ASCII text. @defaultValue 0.2 */
  nonAsciiRate?: number;
  /** Share of events with attacker-style values (forged headers, injected pairs, control characters). @defaultValue 0 */
  hostileRate?: number;
  /** Time of the first event, epoch ms. @defaultValue 2026-01-05T09:00:00Z */
  startMs?: number;
}

const USERS = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'svc-backup',
  'administrator',
];
const HOSTS = ['ws-fin-014', 'ws-dev-201', 'srv-db-02', 'srv-app-07', 'jump-01', 'ws-hr-033', 'lnx-build-5'];
const APPS = [
  'chrome.exe',
  'outlook.exe',
  'mstsc.exe',
  'powershell.exe',
  'excel.exe',
  'putty.exe',
  'teams.exe',
];
const TITLES = [
  'Inbox - alice@example.com - Outlook',
  'Q3 forecast.xlsx - Excel',
  'Administrator: Windows PowerShell',
  'Remote Desktop Connection',
  'Jira - Sprint board - Google Chrome',
  'payroll_2026.csv - Notepad',
];
const URLS = [
  'https://intranet.example.com/hr/records',
  'https://mail.example.com/owa/',
  'https://github.com/example/app/pulls',
  'https://portal.azure.com/#home',
];
const COMMANDS = ['sudo', 'ssh', 'scp', 'vim', 'tar', 'curl', 'systemctl'];
const PARAMS = [
  '-i ~/.ssh/id_ed25519 deploy@10.0.4.12',
  'restart nginx',
  '-czf /tmp/backup.tgz /var/lib/pgsql',
  '/etc/sudoers',
  '-s https://repo.example.com/install.sh',
];
const NON_ASCII = [
  'Zoë Ångström',
  'Документ отчёт',
  '請求書_2026年',
  'café naïve façade',
  'Grüße aus München 🙂',
  'مرحبا بالعالم',
];
const ESCAPES = [
  'https://app.example.com/login?user=bob&next=%2F',
  'C:\\Users\\bob\\AppData\\Local\\Temp',
  'line one\nline two',
  'a=b; c=d',
  'token==base64==',
];
const HOSTILE = [
  'x\nCEF:0|Evil|Corp|1|1|forged|10|suser=root',
  'bob suser=admin act=allowed',
  'name\r\nLEEF:2.0|Evil|Corp|1|1|^|usrName=root',
  'tab\there^caret|pipe\\back=eq',
  'nul\u0000del\u007fsep\u2028end',
  'x=y\\',
];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/**
 * An endless, deterministic stream of realistic events of all four kinds (Windows, macOS and Linux sessions,
 * alerts, audit entries, clients going offline and online), for the demo, benchmarks and tests.
 */
export function* simulateEvents(options: SimulationOptions = {}): Generator<SiemEvent> {
  const random = seededRandom(options.seed ?? 1);
  const escapeRate = options.escapeRate ?? 0.05;
  const nonAsciiRate = options.nonAsciiRate ?? 0.2;
  const hostileRate = options.hostileRate ?? 0;
  let time = options.startMs ?? Date.UTC(2026, 0, 5, 9, 0, 0);
  for (let n = 1; ; n++) {
    time += 1 + Math.floor(random() * 40);
    const roll = random();
    const spice = (plain: string): string => {
      const r = random();
      if (r < hostileRate) return pick(random, HOSTILE);
      if (r < hostileRate + escapeRate) return pick(random, ESCAPES);
      if (r < hostileRate + escapeRate + nonAsciiRate) return `${plain} ${pick(random, NON_ASCII)}`;
      return plain;
    };
    const host = pick(random, HOSTS);
    const ipv4 = `10.${(n >> 8) & 255}.${n & 255}.${1 + Math.floor(random() * 250)}`;
    if (roll < 0.1) {
      const status: ClientStatusEvent = {
        kind: 'client-status',
        time,
        status: random() < 0.5 ? 'offline' : 'online',
        client: host,
        os: 'Windows Server 2022',
        ipv4,
        ipv6: `fd00::${(n & 0xffff).toString(16)}`,
        domain: 'corp.example.com',
      };
      yield status;
      continue;
    }
    if (roll < 0.25) {
      const audit: AuditEvent = {
        kind: 'audit',
        id: `audit-${n}`,
        time,
        user: spice(pick(random, USERS)),
        userGroups: ['Administrators', 'Auditors'],
        category: pick(random, ['Users', 'Clients', 'Alerts', 'Database']),
        action: pick(random, ['Create', 'Edit', 'Delete', 'Login']),
        object: spice(`user ${pick(random, USERS)}`),
        details: spice('Permissions changed: View monitoring results, Manage clients'),
      };
      yield audit;
      continue;
    }
    const platform: Platform = random() < 0.7 ? 'windows' : random() < 0.5 ? 'linux' : 'macos';
    const base = {
      id: `rec-${n}`,
      time,
      platform,
      user: spice(pick(random, USERS)),
      client: host,
      domain: 'CORP',
      os: platform === 'linux' ? 'Ubuntu 24.04' : 'Windows 11 Pro 23H2',
      ipv4,
      sessionPlayerUrl: `https://ekran.example.com/player?session=${1000 + (n % 9000)}&t=${time}`,
    };
    const activity =
      platform === 'linux'
        ? { command: pick(random, COMMANDS), function: 'execve', parameters: spice(pick(random, PARAMS)) }
        : {
            secondaryUser: random() < 0.3 ? pick(random, USERS) : undefined,
            title: spice(pick(random, TITLES)),
            application: pick(random, APPS),
            url: spice(pick(random, URLS)),
            keystrokes: random() < 0.4 ? spice('Get-ADUser -Filter *') : undefined,
          };
    if (roll < 0.35) {
      const alert: AlertEvent = {
        kind: 'alert',
        ...base,
        ...activity,
        alertId: 100 + (n % 37),
        alertName: spice('Sensitive file opened'),
        alertDescription: spice('A file from the payroll share was opened outside working hours'),
      };
      yield withoutUndefined(alert);
      continue;
    }
    const record: ClientRecordEvent = { kind: 'client-record', ...base, ...activity };
    yield withoutUndefined(record);
  }
}

// Rebuilt rather than `delete`d: a deleted key turns an object into a slow dictionary, unlike events from JSON.parse.
function withoutUndefined<T extends object>(event: T): T {
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as T;
}

/** The first `count` simulated events. */
export function takeEvents(count: number, options?: SimulationOptions): SiemEvent[] {
  const out: SiemEvent[] = [];
  for (const event of simulateEvents(options)) {
    out.push(event);
    if (out.length === count) break;
  }
  return out;
}
