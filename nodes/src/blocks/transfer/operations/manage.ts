import { posix } from 'node:path';
import { z } from 'zod';
import type { BlockContext } from '../../../contract/block.js';
import { remotePath } from '../transfer-parameters.js';
import type { ConnectionParameters, TransferRun } from '../transfer-run.js';

/** Parameters of move/rename. */
export const moveParameters = z.object({
  from: remotePath('From', 'Path of the file or folder on the server.'),
  to: remotePath('To', 'New path on the server; a new name in the same folder renames.'),
  createFolders: z.boolean().default(false).meta({
    title: 'Create missing folders',
    description: 'Create the target folder and its parents when they are missing.',
  }),
});

/** Parameters of delete. */
export const deleteParameters = z.object({
  path: remotePath('Path', 'Path of the file on the server to delete.'),
});

/** Parameters of make folder. */
export const makeFolderParameters = z.object({
  path: remotePath('Folder', 'Folder to create on the server, with missing parents.'),
});

type Run<P> = (context: BlockContext<ConnectionParameters & P>, run: TransferRun) => Promise<void>;

/** Moves or renames a file or folder on the server. */
export const move: Run<z.infer<typeof moveParameters>> = async (context, run) => {
  const { from, to, createFolders } = context.params;
  await run.session(`move ${from} to ${to}`, async (session) => {
    if (createFolders) await session.makeFolder(posix.dirname(to));
    await session.rename(from, to);
  });
  await context.outputs.done!.send([{ action: 'move', path: from, to }]);
};

/** Deletes a file on the server. */
export const remove: Run<z.infer<typeof deleteParameters>> = async (context, run) => {
  const { path } = context.params;
  await run.session(`delete ${path}`, (session) => session.delete(path));
  await context.outputs.done!.send([{ action: 'delete', path }]);
};

/** Creates a folder and its missing parents on the server. */
export const makeFolder: Run<z.infer<typeof makeFolderParameters>> = async (context, run) => {
  const { path } = context.params;
  await run.session(`make folder ${path}`, (session) => session.makeFolder(path));
  await context.outputs.done!.send([{ action: 'make folder', path }]);
};
