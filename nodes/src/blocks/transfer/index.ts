export { ftpBlocks } from './ftp-blocks.js';
export { sftpBlocks } from './sftp-blocks.js';
