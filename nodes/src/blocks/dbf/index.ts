export { readDbfBlock } from './read-dbf.block.js';
