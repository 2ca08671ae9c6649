import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { BlockContext } from '../../../contract/block.js';
import { EnvironmentError } from '../../../contract/errors.js';
import { openFileContent, type FileItem } from '../../../contract/files.js';
import { withBulkTransferHeapGrowth } from '../../../system/heap-growth.js';
import type { RemoteSession } from '../remote-session.js';
import { remotePath } from '../transfer-parameters.js';
import type { ConnectionParameters, TransferRun } from '../transfer-run.js';

/** Parameters of the upload operation. */
export const uploadParameters = z.object({
  folder: remotePath('Folder', 'Folder on the server to upload into, e.g. /import.'),
  createFolders: z.boolean().default(false).meta({
    title: 'Create missing folders',
    description: 'Create the folder and its parents on the server when they are missing.',
  }),
  ifExists: z.enum(['replace', 'keep']).default('replace').meta({
    title: 'When the file exists',
    description:
      'replace: the new file takes its place in one step; keep: the upload is skipped with a warning.',
  }),
});

type Parameters = ConnectionParameters & z.infer<typeof uploadParameters>;

/** Bytes per read of the file to upload; Node's 64 KiB default costs a write per 64 KiB. */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/**
 * Uploads each incoming file to a hidden temporary name beside its target and checks its size
 * there; the rename to the real name happens when the run commits, so the other side never
 * reads half a file or a file of a failed run. A dropped upload restarts from the beginning.
 */
export async function upload(context: BlockContext<Parameters>, run: TransferRun): Promise<void> {
  const { folder, createFolders } = context.params;
  if (createFolders)
    await run.session(`make folder ${folder}`, (session) => session.makeFolder(folder));

  for await (const batch of context.inputs.file!) {
    for (const item of batch) {
      const file = item as FileItem;
      const target = posix.join(folder, file.name);
      if (context.params.ifExists === 'keep' && (await existsOnServer(run, target))) {
        warnKept(context, target);
        continue;
      }
      const staged = posix.join(
        folder,
        `.${file.name}.kuryr-${randomBytes(6).toString('hex')}.part`,
      );
      // Registered before the upload, so a run whose upload failed after its last retry also
      // removes what reached the server. A staged name that never arrived only fails to delete.
      run.onRollback(() =>
        run
          .session(`delete ${staged}`, (session) => session.delete(staged))
          .then(
            () => undefined,
            () => undefined,
          ),
      );
      // A retry uploads the whole file again under the same staged name, replacing the part.
      const server = await run.session(`upload ${target}`, async (session) => {
        await withBulkTransferHeapGrowth(() =>
          session.upload(openFileContent(file, UPLOAD_CHUNK_BYTES), staged),
        );
        await checkSize(session, staged, file.size);
        return session.server;
      });
      context.logger.debug('file uploaded to a temporary name', { path: staged, bytes: file.size });
      run.onCommit(() => publish(context, run, staged, target, file.size));
      await context.outputs.uploaded!.send([
        { server, path: target, name: file.name, size: file.size },
      ]);
    }
  }
}

async function checkSize(session: RemoteSession, path: string, expected: number): Promise<void> {
  const size = await session.size(path);
  if (size === expected) return;
  throw new EnvironmentError(
    'UPLOAD_SIZE_MISMATCH',
    `${path} on ${session.server} holds ${size ?? 'no'} bytes after the upload, expected ${expected}`,
    { context: { file: path }, retryable: true },
  );
}

/** Renames the staged upload to its name, as the flow configured for an existing file. */
async function publish(
  context: BlockContext<Parameters>,
  run: TransferRun,
  staged: string,
  target: string,
  size: number,
): Promise<void> {
  await run.session(`rename ${staged} to ${target}`, async (session) => {
    const existing = await session.size(target);
    // A file that appeared on the server since the upload began is kept as well.
    if (existing !== undefined && context.params.ifExists === 'keep') {
      await session.delete(staged);
      warnKept(context, target);
      return;
    }
    if ((await session.size(staged)) === undefined && existing === size) return; // renamed by an earlier attempt
    // Some servers (SFTP version 3, IIS) refuse to rename over an existing file.
    if (existing !== undefined && !session.replacesOnRename) await session.delete(target);
    await session.rename(staged, target);
    await checkSize(session, target, size);
  });
  context.logger.debug('file published', { path: target, bytes: size });
}

/** Checks before an upload whether `path` exists, so a file to keep costs no transfer. */
function existsOnServer(run: TransferRun, path: string): Promise<boolean> {
  return run.session(`size ${path}`, async (session) => (await session.size(path)) !== undefined);
}

function warnKept(context: BlockContext<Parameters>, target: string): void {
  context.warn(
    'REMOTE_FILE_KEPT',
    `${target} exists on the server and was kept; the new file was not uploaded`,
    { file: target },
  );
}
