export * from './contract/errors.js';
export * from './contract/logger.js';
export * from './contract/files.js';
export * from './contract/block.js';
export * from './contract/storage.js';
export * from './streams/channel.js';
export * from './expressions/engine.js';
