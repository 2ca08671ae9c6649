import { ftpParameters } from './transfer-parameters.js';
import { openFtpSession, type FtpSecurity, type FtpTransferMode } from './ftp-session.js';
import { defineTransferBlocks } from './transfer-blocks.js';
import type { TransferProtocol } from './transfer-run.js';

/** FTP and FTPS through basic-ftp. */
export const ftpProtocol: TransferProtocol = {
  id: 'ftp',
  title: 'FTP',
  open: (credential, parameters, environment) =>
    openFtpSession({
      credential,
      security: parameters.security as FtpSecurity,
      transferMode: parameters.transferMode as FtpTransferMode,
      ...environment,
    }),
};

/**
 * The FTP blocks: ftp.list, ftp.download, ftp.upload, ftp.move, ftp.delete, ftp.make-folder.
 *
 * TODO: active mode (PORT/EPRT) is missing because basic-ftp opens only passive data
 * connections; servers that allow only active mode cannot be reached yet.
 */
export const ftpBlocks = defineTransferBlocks(ftpProtocol, ftpParameters);
