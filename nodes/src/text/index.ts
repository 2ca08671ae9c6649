export * from './decode-stream.js';
export * from './values.js';
export * from './fixed-width.js';
export * from './text-reader.js';
export * from './text-writer.js';
export * from './time-zone.js';
