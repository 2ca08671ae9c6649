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
  sessionSettings: (parameters) => [parameters.security, parameters.transferMode],
};

/** The FTP blocks: ftp.list, ftp.download, ftp.upload, ftp.move, ftp.delete, ftp.make-folder. */
export const ftpBlocks = defineTransferBlocks(ftpProtocol, ftpParameters);
