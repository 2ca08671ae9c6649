export { mapBlock } from './map.block.js';
export { filterBlock } from './filter.block.js';
export { isTruthy } from './truthiness.js';
