export { readFileBlock } from './read-file.block.js';
export { writeFileBlock } from './write-file.block.js';
export { mediaTypeOf } from './media-types.js';
export { describeFileError } from './file-errors.js';
