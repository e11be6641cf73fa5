export * from './create-forwarder.js';
export * from './destination-queue.js';
export * from './forwarder-stats.js';
export * from './from-event-emitter.js';
export * from './from-ndjson.js';
export * from './record-destination.js';
