import type { ProcessedFile, ProcessedFileLedger, RemoteFileVersion } from '@kuryr/nodes';
import type { ServiceDatabase } from './database.js';

/** The processed-file ledger in the runtime's database. */
export function createProcessedFileLedger(db: ServiceDatabase): ProcessedFileLedger {
  return {
    async isProcessed(file: RemoteFileVersion) {
      const row = await db
        .selectFrom('processed_files')
        .select('run_id')
        .where('server', '=', file.server)
        .where('path', '=', file.path)
        .where('size', '=', file.size)
        .where('modified_at', '=', file.modifiedAt ?? '')
        .executeTakeFirst();
      return row !== undefined;
    },
    async markProcessed(files: readonly ProcessedFile[]) {
      if (files.length === 0) return;
      const processedAt = new Date().toISOString();
      const rows = files.map((file) => ({
        server: file.server,
        path: file.path,
        size: file.size,
        modified_at: file.modifiedAt ?? '',
        checksum: file.checksum,
        flow_id: file.flowId,
        run_id: file.runId,
        processed_at: processedAt,
      }));
      await db
        .insertInto('processed_files')
        .values(rows)
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
  };
}
