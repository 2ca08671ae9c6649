import { z } from 'zod';
import { defineTransferBlocks } from './transfer-blocks.js';
import type { TransferProtocol } from './transfer-run.js';

/** SFTP through ssh2-sftp-client, with the host key pinned in the credential. */
export const sftpProtocol: TransferProtocol = {
  id: 'sftp',
  title: 'SFTP',
  // Loading ssh2-sftp-client took about 0.27 s of `kuryr run`'s start-up on Node.js 20, so only
  // flows that use SFTP load it.
  open: async (credential, _parameters, environment) => {
    const { openSftpSession } = await import('./sftp-session.js');
    return openSftpSession(credential, environment);
  },
  sessionSettings: () => [],
};

/** The SFTP blocks: sftp.list, sftp.download, sftp.upload, sftp.move, sftp.delete, sftp.make-folder. */
export const sftpBlocks = defineTransferBlocks(sftpProtocol, z.object({}));
