import { z } from 'zod';
import type { BlockContext } from '../../../contract/block.js';
import { remotePath } from '../transfer-parameters.js';
import type { ConnectionParameters, TransferRun } from '../transfer-run.js';

/** Parameters of the list operation. */
export const listParameters = z.object({
  folder: remotePath('Folder', 'Folder on the server to list, e.g. /orders.'),
});

/** Emits one record per entry of a server folder: name, path, kind, size and modification time. */
export async function list(
  context: BlockContext<ConnectionParameters & z.infer<typeof listParameters>>,
  run: TransferRun,
): Promise<void> {
  const { folder } = context.params;
  const entries = await run.session(`list ${folder}`, (session) => session.list(folder));
  const records = entries.map((entry) => ({
    name: entry.name,
    path: entry.path,
    kind: entry.kind,
    size: entry.size,
    modifiedAt: entry.modifiedAt?.toISOString() ?? null,
  }));
  if (records.length > 0) await context.outputs.entries!.send(records);
}
