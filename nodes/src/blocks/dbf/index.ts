export { readDbfBlock } from './read-dbf.block.js';
export { writeDbfBlock } from './write-dbf.block.js';
