import type { KindMapping, RecordMapping } from './field-mapping.js';

// IBM's limits for predefined attributes (spec/wire-formats.md 2.3); other keys have none.
export const LEEF_KEY_MAX_BYTES: Record<string, number> = {
  usrName: 255,
  identHostName: 255,
  accountName: 255,
  vSrcName: 255,
  identNetBios: 255,
  identGrpName: 255,
};
/** IBM gives no limit for custom attributes; this cap keeps one record within what QRadar's syslog input takes. */
export const LEEF_DEFAULT_MAX_BYTES = 8192;

// `time`, `cat` and `sev` are written by the encoder itself (devTime, devTimeFormat, cat, sev).
const SESSION: KindMapping = {
  time: { key: 'devTime' },
  id: { key: 'externalId' },
  user: { key: 'usrName' },
  secondaryUser: { key: 'secondaryUser' },
  client: { key: 'clientName' },
  domain: { key: 'domain' },
  os: { key: 'os' },
  ipv4: { key: 'src' },
  // IPv6 goes to `src` when there is no IPv4 (see createLeefEncoder).
  ipv6: { key: 'srcIPv6' },
  remoteIp: { key: 'remoteIp' },
  sessionPlayerUrl: { key: 'sessionPlayerUrl' },
  title: { key: 'windowTitle' },
  application: { key: 'application' },
  url: { key: 'url' },
  keystrokes: { key: 'keystrokes' },
  command: { key: 'command' },
  function: { key: 'function' },
  parameters: { key: 'parameters' },
};

/** The default LEEF mapping; README's table is generated from the same data. */
export const DEFAULT_LEEF_MAPPING: RecordMapping = {
  'client-record': { ...SESSION, rule: { key: 'rule' }, alert: { key: 'alert' } },
  alert: {
    ...SESSION,
    alertId: { key: 'alertId' },
    alertName: { key: 'alertName' },
    alertDescription: { key: 'alertDescription' },
  },
  audit: {
    time: { key: 'devTime' },
    id: { key: 'externalId' },
    user: { key: 'usrName' },
    userGroups: { key: 'userGroups' },
    category: { key: 'auditCategory' },
    action: { key: 'action' },
    object: { key: 'object' },
    details: { key: 'details' },
  },
  'client-status': {
    time: { key: 'devTime' },
    client: { key: 'clientName' },
    os: { key: 'os' },
    ipv4: { key: 'src' },
    ipv6: { key: 'srcIPv6' },
    domain: { key: 'domain' },
    status: { key: 'status' },
  },
};
