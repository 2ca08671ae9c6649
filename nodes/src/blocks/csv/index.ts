export { writeCsvBlock } from './write-csv.block.js';
export { readCsvBlock } from './read-csv.block.js';
