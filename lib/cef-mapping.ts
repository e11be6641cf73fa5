import type { KindMapping, RecordMapping } from './field-mapping.js';

// The CEF dictionary's limits (v27 producer table) for the keys siemkit writes; see spec/wire-formats.md 1.8.
export const CEF_KEY_MAX_BYTES: Record<string, number> = {
  act: 63,
  app: 31,
  cat: 1023,
  externalId: 40,
  msg: 1023,
  reason: 1023,
  request: 1023,
  shost: 1023,
  dhost: 1023,
  dvchost: 100,
  suser: 1023,
  duser: 1023,
  sntdom: 255,
  dntdom: 255,
  sproc: 1023,
  dproc: 1023,
  outcome: 63,
  deviceProcessName: 1023,
  requestClientApplication: 1023,
  requestContext: 2048,
  fname: 1023,
  filePath: 1023,
  flexString1: 1023,
  flexString2: 1023,
  deviceExternalId: 255,
  deviceFacility: 1023,
  cs1: 4000,
  cs2: 4000,
  cs3: 4000,
  cs4: 4000,
  cs5: 4000,
  cs6: 4000,
};
/** Limit for labels and for keys the dictionary gives none (user-defined keys). */
export const CEF_DEFAULT_MAX_BYTES = 1023;
/** Labels of `flexString`/`flexDate` slots are shorter. */
export const CEF_FLEX_LABEL_MAX_BYTES = 128;
/** Keys that mean nothing without a `<key>Label`. */
export const CEF_LABELLED_KEY =
  /^(cs[1-6]|cn[1-3]|cfp[1-4]|c6a[1-4]|deviceCustomDate[12]|flexString[12]|flexDate1)$/;

// Client records and alerts share the session fields. Platform-only fields share a slot with a
// different label (Windows title and Linux command never occur in one record).
const SESSION: KindMapping = {
  time: { key: 'rt' },
  id: { key: 'externalId' },
  user: { key: 'suser' },
  secondaryUser: { key: 'cs1', label: 'Secondary User' },
  client: { key: 'shost' },
  domain: { key: 'sntdom' },
  os: { key: 'cs2', label: 'OS' },
  ipv4: { key: 'src' },
  ipv6: { key: 'c6a2', label: 'Source IPv6 Address' },
  remoteIp: { key: 'cs3', label: 'Remote IP' },
  sessionPlayerUrl: { key: 'cs4', label: 'Session Player URL' },
  title: { key: 'cs5', label: 'Window Title' },
  application: { key: 'sproc' },
  url: { key: 'request' },
  keystrokes: { key: 'cs6', label: 'Keystrokes' },
  command: { key: 'cs5', label: 'Command' },
  function: { key: 'flexString1', label: 'Function' },
  parameters: { key: 'cs6', label: 'Parameters' },
};

/** The default CEF mapping; README's table is generated from the same data. */
export const DEFAULT_CEF_MAPPING: RecordMapping = {
  'client-record': { ...SESSION, rule: { key: 'reason' }, alert: { key: 'reason' } },
  alert: {
    ...SESSION,
    alertId: { key: 'flexString2', label: 'Alert ID' },
    alertName: { key: 'reason' },
    alertDescription: { key: 'msg' },
  },
  audit: {
    time: { key: 'rt' },
    id: { key: 'externalId' },
    user: { key: 'suser' },
    userGroups: { key: 'cs1', label: 'User Groups' },
    category: { key: 'cs2', label: 'Category' },
    action: { key: 'act' },
    object: { key: 'cs3', label: 'Object' },
    details: { key: 'msg' },
  },
  'client-status': {
    time: { key: 'rt' },
    client: { key: 'shost' },
    os: { key: 'cs2', label: 'OS' },
    ipv4: { key: 'src' },
    ipv6: { key: 'c6a2', label: 'Source IPv6 Address' },
    domain: { key: 'sntdom' },
    status: { key: 'act' },
  },
};
