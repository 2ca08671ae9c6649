export { ftpBlocks } from './ftp-blocks.js';
