export * from './file-sink-errors.js';
export * from './file-system.js';
export * from './rotating-file-sink.js';
