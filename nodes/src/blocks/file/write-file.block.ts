import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { FlowAuthorError } from '../../contract/errors.js';
import { defineBlock, type BlockContext } from '../../contract/block.js';
import { openFileContent, type FileItem } from '../../contract/files.js';
import { describeFileError } from './file-errors.js';
import { removeAbandonedStagedFiles, stagedPathFor } from './staging.js';

const parameters = z.object({
  path: z
    .string()
    .min(1)
    .meta({
      title: 'Path',
      description:
        'Target inside the data folder, e.g. out/stock.csv. A path ending in / is a folder: ' +
        'each file is written there under its own name.',
      expression: true,
      widget: 'file',
    }),
  rejectEmpty: z
    .boolean()
    .default(false)
    .meta({
      title: 'Reject an empty file',
      description:
        'Fail the run instead of writing a file that holds no records or no bytes, e.g. so an ' +
        'empty stock export never wipes an e-shop.',
    }),
  overwrite: z.boolean().default(true).meta({
    title: 'Replace an existing file',
    description: 'Replace an existing file atomically; when off, an existing file fails the run.',
  }),
});

type Parameters = z.infer<typeof parameters>;

/**
 * Write File: writes each incoming file into the data folder. The bytes go to a hidden temporary
 * name in the target folder, which is renamed over the target only when the whole run succeeds,
 * so no consumer reads half a file and a failed run leaves nothing behind. A process killed
 * before the rename leaves its hidden staged file, which the next write into that folder removes.
 */
export const writeFileBlock = defineBlock({
  type: 'file.write',
  version: 1,
  title: 'Write File',
  category: 'Files',
  icon: 'file-output',
  help: {
    summary:
      'Writes files into the data folder. Parent folders are created. The file appears under its ' +
      'name only when the run succeeds, replacing an older one in one step.',
    inputs: { file: 'The files to write.' },
    outputs: { file: 'The written files, for blocks that send them on.' },
  },
  inputs: [{ name: 'file', kind: 'files', label: 'File' }],
  outputs: [{ name: 'file', kind: 'files', label: 'File' }],
  parameters,
  async run(context) {
    const targets = new Set<string>();
    for await (const batch of context.inputs.file!) {
      for (const item of batch) {
        const file = item as FileItem;
        const { path } = context.params;
        const relative = path.endsWith('/') ? path + file.name : path;
        const target = await resolveTarget(context, file, relative);
        if (targets.has(target)) {
          throw new FlowAuthorError(
            'FILE_WRITTEN_TWICE',
            `two files in one run would be written to ${context.params.path}`,
            { hint: 'End the path with / to write each file under its own name into a folder.' },
          );
        }
        targets.add(target);
        // Companions are staged first, so that their renames at commit come before the file's
        // (commit actions run in the order they were registered): a consumer that opens a new
        // table then finds its new memo file beside it.
        // NOTE: the renames are separate steps, so a process killed between them leaves a new
        // memo file beside the old table, whose memo references may then point at the wrong
        // text or fail as DBF_MEMO_INVALID. The next successful run replaces both files.
        const companions = await writeCompanions(context, file, target, relative);
        const written = await writeStaged(context, file, target, relative);
        await context.outputs.file!.send([
          companions.length === 0 ? written : { ...written, companions },
        ]);
      }
    }
  },
});

/**
 * Writes the companions of a file (e.g. a table's memo file) beside its target, named by the
 * target's stem and each companion's extension, staged and renamed like the file itself.
 */
async function writeCompanions(
  context: BlockContext<Parameters>,
  file: FileItem,
  target: string,
  relative: string,
): Promise<FileItem[]> {
  const written: FileItem[] = [];
  for (const companion of file.companions ?? []) {
    const stem = (path: string) => path.slice(0, path.length - extname(path).length);
    const companionRelative = stem(relative) + extname(companion.name);
    const companionTarget = await resolveTarget(context, companion, companionRelative);
    if (companionTarget === target) {
      throw new FlowAuthorError(
        'FILE_WRITTEN_TWICE',
        `${file.name} and its companion ${companion.name} would both be written to ${relative}`,
        { hint: 'Give the target a file extension, e.g. items.dbf.' },
      );
    }
    written.push(await writeStaged(context, companion, companionTarget, companionRelative));
  }
  return written;
}

async function resolveTarget(
  context: BlockContext<Parameters>,
  file: FileItem,
  relative: string,
): Promise<string> {
  const { rejectEmpty, overwrite } = context.params;
  const target = await context.files.resolve(relative, 'write');
  const existing = await stat(target).catch(() => undefined);

  if (existing?.isDirectory() || target === context.files.root) {
    throw new FlowAuthorError('TARGET_IS_FOLDER', `${relative} is a folder, not a file name`, {
      hint: 'Give a file name, or end the path with / to write each file into that folder.',
      context: { file: relative, parameter: 'path' },
    });
  }
  if (rejectEmpty && (file.records === 0 || file.size === 0)) {
    throw new FlowAuthorError(
      'FILE_EMPTY',
      `${relative} not written: the file contains no records`,
      {
        hint: 'Check the input and the filters; turn off "Reject an empty file" to allow it.',
        context: { file: relative, parameter: 'rejectEmpty' },
      },
    );
  }
  if (!overwrite && existing !== undefined) {
    throw new FlowAuthorError(
      'FILE_EXISTS',
      `${relative} not written: the file exists and replacing it is turned off`,
      {
        hint: 'Remove the file or turn on "Replace an existing file".',
        context: { file: relative, parameter: 'overwrite' },
      },
    );
  }
  return target;
}

async function writeStaged(
  context: BlockContext<Parameters>,
  file: FileItem,
  target: string,
  relative: string,
): Promise<FileItem> {
  await mkdir(dirname(target), { recursive: true }).catch((error: unknown) => {
    // mkdir reports EEXIST when a part of the path is a file.
    const isFileInPath = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw describeFileError(isFileInPath ? { code: 'ENOTDIR' } : error, relative, 'write');
  });
  const removed = await removeAbandonedStagedFiles(dirname(target));
  if (removed.length > 0) context.logger.info('abandoned staged files removed', { removed });

  const staged = stagedPathFor(target);
  const discard = () => unlink(staged).catch(() => undefined);
  try {
    if (file.content.kind === 'temp') {
      // A kernel copy: far faster than streaming through JavaScript for large exports.
      await copyFile(file.content.path, staged);
      await syncToDisk(staged);
    } else {
      await pipeline(openFileContent(file), createWriteStream(staged, { flush: true }), {
        signal: context.signal,
      });
    }
  } catch (error) {
    await discard();
    throw describeFileError(error, relative, 'write');
  }
  context.transaction.onRollback(discard);
  context.transaction.onCommit(async () => {
    try {
      await rename(staged, target);
    } catch (error) {
      await discard();
      throw describeFileError(error, relative, 'write');
    }
    context.reportArtifact(target);
  });
  context.logger.debug('file staged', { target, bytes: file.size });
  return { ...file, name: basename(target), content: { kind: 'temp', path: staged } };
}

/** Flushes a file to disk, so that the rename at commit never exposes an empty file after a crash. */
async function syncToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
