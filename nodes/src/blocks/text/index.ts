export { readTextBlock } from './read-text.block.js';
export { writeTextBlock } from './write-text.block.js';
