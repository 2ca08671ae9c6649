export { writeCsvBlock } from './write-csv.block.js';
