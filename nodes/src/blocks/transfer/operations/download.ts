import { copyFile, link, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { z } from 'zod';
import type { BlockContext } from '../../../contract/block.js';
import { EnvironmentError, FlowAuthorError } from '../../../contract/errors.js';
import type { FileItem } from '../../../contract/files.js';
import type { ProcessedFile } from '../../../contract/ledger.js';
import { describeFileError } from '../../file/file-errors.js';
import { mediaTypeOf } from '../../file/media-types.js';
import { removeAbandonedStagedFiles, stagedPathFor } from '../../file/staging.js';
import type { RemoteEntry, RemoteSession } from '../remote-session.js';
import { remotePath } from '../transfer-parameters.js';
import type { ConnectionParameters, TransferRun } from '../transfer-run.js';

/** Parameters of the download operation. */
export const downloadParameters = z.object({
  folder: remotePath('Folder', 'Folder on the server to download from, e.g. /orders.'),
  pattern: z.string().min(1).default('*').meta({
    title: 'Name pattern',
    description: 'Files whose names match, with * and ?, ignoring case, e.g. *.csv; * takes all.',
    expression: true,
  }),
  minimumAgeMinutes: z.number().min(0).default(0).meta({
    title: 'Minimum age (minutes)',
    description: 'Skip files changed more recently, e.g. while the other side still writes them.',
  }),
  maximumAgeMinutes: z.number().min(0).optional().meta({
    title: 'Maximum age (minutes)',
    description: 'Skip files older than this; empty takes every age.',
  }),
  saveTo: z
    .string()
    .optional()
    .meta({
      title: 'Save to folder',
      description:
        'Folder in the data folder to save the files to, when the run succeeds; empty sends them ' +
        'only on to the next block.',
      expression: true,
      widget: 'folder',
    }),
  afterRun: z
    .enum(['keep', 'delete', 'move'])
    .default('keep')
    .meta({
      title: 'After the run',
      description:
        'What happens to each downloaded file on the server once the run succeeded: keep it, ' +
        'delete it, or move it to the folder below.',
    }),
  moveTo: z.string().optional().meta({
    title: 'Move to folder',
    description: 'Folder on the server for downloaded files when "After the run" is move.',
    expression: true,
  }),
  acceptRoutedErrors: z.boolean().default(false).meta({
    title: 'Count a run with routed errors as done',
    description:
      'Remember the files (and delete or move them) also when some errors went to error ports.',
  }),
});

type Parameters = ConnectionParameters & z.infer<typeof downloadParameters>;

/**
 * Downloads the matching files that no committed run consumed yet. Each streams to the run's
 * temporary area while its SHA-256 is computed, so no file sits whole in memory; after a
 * dropped connection the executor retries it, and the retry resumes after the bytes that
 * arrived. At commit the files are recorded in the ledger first and only
 * then deleted or moved on the server, so a crash in between never imports a file twice.
 */
export async function download(context: BlockContext<Parameters>, run: TransferRun): Promise<void> {
  const { params } = context;
  checkParameters(params);
  const folder = params.folder;
  const entries = await run.session(`list ${folder}`, (session) => session.list(folder));
  const now = context.runStartedAt.getTime();
  const matches = entries.filter((entry) => isWanted(entry, params, now));
  const consumed: ProcessedFile[] = [];
  const alreadyProcessed: RemoteEntry[] = [];
  let account = '';

  for (const entry of matches) {
    const path = context.temp.newPath(posix.extname(entry.name));
    let checksum: string | undefined;
    try {
      checksum = await run.session(`download ${entry.path}`, async (session) => {
        account = session.account;
        if (await isProcessed(context, session, entry)) return undefined;
        return downloadOne(context, session, entry, path);
      });
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
    if (checksum === undefined) {
      alreadyProcessed.push(entry);
      context.logger.debug('file already processed, skipped', { path: entry.path });
      continue;
    }
    consumed.push({
      ...versionOf(account, entry),
      checksum,
      flowId: context.flowId,
      runId: context.runId,
    });
    const item = await deliver(context, entry, path);
    await context.outputs.file!.send([item]);
  }
  if (alreadyProcessed.length > 0) {
    context.warn(
      'FILES_ALREADY_PROCESSED',
      `${alreadyProcessed.length} files on the server were imported by an earlier run and skipped`,
      { folder },
    );
  }
  registerCommit(context, run, consumed, [
    ...consumed.map((file) => file.path),
    ...alreadyProcessed.map((entry) => entry.path),
  ]);
}

function checkParameters(params: Parameters): void {
  if (params.afterRun === 'move' && !params.moveTo) {
    throw new FlowAuthorError(
      'MOVE_FOLDER_MISSING',
      '"After the run" is move, but no folder to move to is given',
      {
        hint: 'Fill in "Move to folder", or choose keep or delete.',
        context: { parameter: 'moveTo' },
      },
    );
  }
}

function isWanted(entry: RemoteEntry, params: Parameters, now: number): boolean {
  if (entry.kind !== 'file' || !globToRegExp(params.pattern).test(entry.name)) return false;
  if (entry.modifiedAt === undefined)
    return params.minimumAgeMinutes === 0 && params.maximumAgeMinutes === undefined;
  const ageMinutes = (now - entry.modifiedAt.getTime()) / 60_000;
  if (ageMinutes < params.minimumAgeMinutes) return false;
  return params.maximumAgeMinutes === undefined || ageMinutes <= params.maximumAgeMinutes;
}

/** Turns a name pattern with `*` and `?` into a case-insensitive regular expression. */
export function globToRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) =>
      char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 'iu');
}

/**
 * Looks the file up in the ledger under the account's name, and under the bare server name that
 * older versions of these blocks recorded, so an upgrade does not import those files again.
 */
async function isProcessed(
  context: BlockContext<Parameters>,
  session: RemoteSession,
  entry: RemoteEntry,
): Promise<boolean> {
  if (await context.ledger.isProcessed(versionOf(session.account, entry))) return true;
  return context.ledger.isProcessed(versionOf(session.server, entry));
}

function versionOf(server: string, entry: RemoteEntry) {
  return {
    server,
    path: entry.path,
    size: entry.size,
    modifiedAt: entry.modifiedAt?.toISOString() ?? null,
  };
}

/**
 * Downloads one file into the temporary file `path` and returns its SHA-256. When an earlier
 * attempt of this run left part of the file there, the download resumes after it.
 */
async function downloadOne(
  context: BlockContext<Parameters>,
  session: RemoteSession,
  entry: RemoteEntry,
  path: string,
): Promise<string> {
  const offset = await stat(path).then(
    (local) => (local.size <= entry.size ? local.size : 0),
    () => 0,
  );
  if (offset > 0) {
    context.logger.info('resuming download', { path: entry.path, offset, bytes: entry.size });
  }
  const checksum = await session.download(entry.path, path, offset);
  const { size } = await stat(path);
  if (size !== entry.size) {
    // A data connection that closed early leaves fewer bytes, which the next attempt keeps and
    // resumes after. More bytes mean the file grew on the server, so the next one starts over.
    if (size > entry.size) await unlink(path).catch(() => undefined);
    const message = `${entry.path}: received ${size} of ${entry.size} bytes`;
    throw new EnvironmentError('DOWNLOAD_INCOMPLETE', message, {
      context: { file: entry.path },
      retryable: true,
    });
  }
  context.logger.debug('file downloaded', { path: entry.path, bytes: entry.size });
  return checksum;
}

/** Makes the file item, and stages the file in the data folder when the flow saves it there. */
async function deliver(
  context: BlockContext<Parameters>,
  entry: RemoteEntry,
  spooled: string,
): Promise<FileItem> {
  const item: FileItem = {
    name: entry.name,
    mediaType: mediaTypeOf(entry.name),
    size: entry.size,
    content: { kind: 'temp', path: spooled },
  };
  const { saveTo } = context.params;
  if (!saveTo) return item;

  const relative = posix.join(saveTo, entry.name);
  const target = await context.files.resolve(relative, 'write');
  await mkdir(dirname(target), { recursive: true }).catch((error: unknown) => {
    throw describeFileError(error, relative, 'write');
  });
  await removeAbandonedStagedFiles(dirname(target));
  const staged = stagedPathFor(target);
  // A hard link costs nothing for a large file; the temporary area and the data folder may lie
  // on different disks, and then the file is copied. Blocks only read the spooled file.
  await link(spooled, staged)
    .catch(() => copyFile(spooled, staged))
    .catch((error: unknown) => {
      throw describeFileError(error, relative, 'write');
    });
  const discard = () => unlink(staged).catch(() => undefined);
  context.transaction.onRollback(discard);
  context.transaction.onCommit(async () => {
    await rename(staged, target).catch(async (error: unknown) => {
      await discard();
      throw describeFileError(error, relative, 'write');
    });
    context.reportArtifact(target);
  });
  return item;
}

function registerCommit(
  context: BlockContext<Parameters>,
  run: TransferRun,
  consumed: ProcessedFile[],
  toClean: string[],
): void {
  const { afterRun, moveTo, acceptRoutedErrors } = context.params;
  run.onCommit(async (outcome) => {
    if (outcome.status !== 'succeeded' && !acceptRoutedErrors) {
      context.logger.info('run had routed errors, files not marked processed', {
        files: consumed.length,
      });
      return;
    }
    await context.ledger.markProcessed(consumed);
    context.logger.debug('files marked processed', { files: consumed.length });
    if (afterRun === 'keep' || toClean.length === 0) return;
    await cleanUp(context, run, toClean, afterRun === 'move' ? moveTo! : undefined);
  });
}

/**
 * Deletes or moves the consumed files. A failure only warns: the ledger already remembers the
 * files, so they are not imported again, and the next run tries the clean-up once more.
 */
async function cleanUp(
  context: BlockContext<Parameters>,
  run: TransferRun,
  paths: string[],
  moveTo: string | undefined,
): Promise<void> {
  for (const path of paths) {
    try {
      await run.session(
        moveTo === undefined ? `delete ${path}` : `move ${path} to ${moveTo}`,
        async (session) => {
          if (moveTo === undefined) return session.delete(path);
          await session.makeFolder(moveTo);
          await session.rename(path, posix.join(moveTo, posix.basename(path)));
        },
      );
    } catch (error) {
      context.warn(
        'CLEAN_UP_FAILED',
        `${path} was imported but could not be ${moveTo === undefined ? 'deleted' : 'moved'}: ${(error as Error).message}`,
        { file: path },
      );
    }
  }
}
