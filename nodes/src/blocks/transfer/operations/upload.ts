import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { BlockContext } from '../../../contract/block.js';
import { EnvironmentError, KuryrError } from '../../../contract/errors.js';
import { openFileContent, type FileItem } from '../../../contract/files.js';
import { fitFileName } from '../../file/staging.js';
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
  temporaryName: z
    .enum(['hidden', 'suffix'])
    .default('hidden')
    .meta({
      title: 'Temporary name',
      description:
        'Name of a file while it uploads. hidden: .NAME.kuryr-….part; suffix: NAME.kuryr-….part, ' +
        'for servers that reject names starting with a dot. When the server rejects the hidden ' +
        'name, the block switches to suffix with a warning.',
    }),
});

type Parameters = ConnectionParameters & z.infer<typeof uploadParameters>;

/**
 * Bytes per read of the file to upload, because Node's 64 KiB default costs a write per 64 KiB.
 * Four 261,120-byte SFTP requests, the size OpenSSH 8.6 and later accepts, so that a read splits
 * into whole requests without a copy. writePipelined joins requests of other sizes across reads.
 */
const UPLOAD_CHUNK_BYTES = 4 * 261_120;

/**
 * Uploads each incoming file to a temporary name beside its target and checks its size
 * there; the rename to the real name happens when the run commits, so the other side never
 * reads half a file or a file of a failed run. A dropped upload restarts from the beginning.
 */
export async function upload(context: BlockContext<Parameters>, run: TransferRun): Promise<void> {
  const { folder, createFolders } = context.params;
  let style = context.params.temporaryName;
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
      let staged = temporaryPath(folder, file.name, style);
      let server: string;
      try {
        server = await stage(run, file, staged, target);
      } catch (error) {
        if (style !== 'hidden' || !isNameRejected(error)) throw error;
        const hidden = staged;
        staged = temporaryPath(folder, file.name, 'suffix');
        style = 'suffix';
        // Before the second attempt, so that a run that then fails, for example over quota,
        // still reports why its temporary names are visible.
        context.warn(
          'TEMPORARY_NAME_REJECTED',
          `the server rejected the hidden temporary name ${hidden} (${(error as Error).message}), ` +
            `so this block uploads under visible names such as ${staged}. Set temporaryName to ` +
            'suffix to skip the rejected attempt.',
          { file: target },
        );
        server = await stage(run, file, staged, target);
      }
      context.logger.debug('file uploaded to a temporary name', { path: staged, bytes: file.size });
      run.onCommit(() => publish(context, run, staged, target, file.size));
      await context.outputs.uploaded!.send([
        { server, path: target, name: file.name, size: file.size },
      ]);
    }
  }
}

/**
 * Returns the temporary path of an upload of `name` in `folder`, unique to this upload, and
 * within the length limit of a name.
 */
function temporaryPath(folder: string, name: string, style: 'hidden' | 'suffix'): string {
  const suffix = `.kuryr-${randomBytes(6).toString('hex')}.part`;
  return posix.join(folder, fitFileName(style === 'hidden' ? '.' : '', name, suffix));
}

/**
 * Uploads `file` to the temporary path `staged` and checks its size there; returns the server.
 * A retry uploads the whole file again under the same name, replacing the part.
 */
async function stage(
  run: TransferRun,
  file: FileItem,
  staged: string,
  target: string,
): Promise<string> {
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
  return run.session(`upload ${target}`, async (session) => {
    await withBulkTransferHeapGrowth(() =>
      session.upload(openFileContent(file, UPLOAD_CHUNK_BYTES), staged),
    );
    await checkSize(session, staged, file.size);
    return session.server;
  });
}

/**
 * True when the server refused the upload itself, as it does for a name it forbids: FTP 553
 * (file name not allowed) or 550, SFTP status 3 (permission denied) or 4 (failure).
 */
function isNameRejected(error: unknown): boolean {
  if (!(error instanceof KuryrError) || error.retryable) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return code === 553 || code === 550 || code === 3 || code === 4;
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
