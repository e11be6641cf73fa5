export * from './format-cef.js';
export * from './format-from-settings.js';
export * from './format-leef.js';
export * from './format-records.js';
export * from './select-content.js';
