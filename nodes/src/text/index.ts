export * from './decode-stream.js';
export * from './values.js';
