import { z } from 'zod';
import { openSftpSession } from './sftp-session.js';
import { defineTransferBlocks } from './transfer-blocks.js';
import type { TransferProtocol } from './transfer-run.js';

/** SFTP through ssh2-sftp-client, with the host key pinned in the credential. */
export const sftpProtocol: TransferProtocol = {
  id: 'sftp',
  title: 'SFTP',
  open: (credential, _parameters, environment) => openSftpSession(credential, environment),
  sessionSettings: () => [],
};

/** The SFTP blocks: sftp.list, sftp.download, sftp.upload, sftp.move, sftp.delete, sftp.make-folder. */
export const sftpBlocks = defineTransferBlocks(sftpProtocol, z.object({}));
