import type { CodePage } from '../../codepages/code-page.js';
import { ftpParameters } from './transfer-parameters.js';
import type { FtpSecurity, FtpTransferMode } from './ftp-session.js';
import { defineTransferBlocks } from './transfer-blocks.js';
import type { TransferProtocol } from './transfer-run.js';

/** FTP and FTPS through basic-ftp. */
export const ftpProtocol: TransferProtocol = {
  id: 'ftp',
  title: 'FTP',
  // Loaded on first use, so that flows without FTP blocks do not load basic-ftp.
  open: async (credential, parameters, environment) => {
    const { openFtpSession } = await import('./ftp-session.js');
    return openFtpSession({
      credential,
      security: parameters.security as FtpSecurity,
      transferMode: parameters.transferMode as FtpTransferMode,
      fileNameEncoding: parameters.fileNameEncoding as CodePage,
      serverTimeZone: parameters.serverTimeZone as string,
      ...environment,
    });
  },
  sessionSettings: (parameters) => [
    parameters.security,
    parameters.transferMode,
    parameters.fileNameEncoding,
    parameters.serverTimeZone,
  ],
};

/** The FTP blocks: ftp.list, ftp.download, ftp.upload, ftp.move, ftp.delete, ftp.make-folder. */
export const ftpBlocks = defineTransferBlocks(ftpProtocol, ftpParameters);
