export * from './dates.js';
export * from './errors.js';
export * from './events.js';
export * from './framing.js';
export * from './net-address.js';
export * from './settings.js';
export * from './syslog-header.js';
