export * from './cleanup-schedule.js';
export * from './dates.js';
export * from './errors.js';
export * from './events.js';
export * from './net-address.js';
export * from './settings.js';
