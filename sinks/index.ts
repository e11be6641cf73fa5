export * from './connection-errors.js';
export * from './syslog-connection.js';
export * from './syslog-sink.js';
export * from './syslog-sink-settings.js';
export * from './test-connection.js';
export * from './undelivered-error.js';
