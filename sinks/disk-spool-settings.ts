// Settings -> DiskSpool options: `forwarding.spool`, with the folder defaulting to `<logFile.location>/spool`.
import { join } from 'node:path';
import type { Settings } from '../lib/settings.js';
import type { DiskSpoolOptions } from './disk-spool.js';

/** DiskSpool options from validated settings, or null when `forwarding.spool.enabled` is false. */
export function diskSpoolOptionsFromSettings(settings: Settings): DiskSpoolOptions | null {
  const spool = settings.forwarding.spool;
  if (!spool.enabled) return null;
  return {
    path: spool.path ?? join(settings.logFile.location, 'spool'),
    maxBytes: spool.maxBytes,
    dropPolicy: spool.dropPolicy,
    fsyncIntervalMs: spool.fsyncIntervalMs,
  };
}
