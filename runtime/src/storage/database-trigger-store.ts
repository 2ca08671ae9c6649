import { randomUUID } from 'node:crypto';
import type {
  FileIdentity,
  MissedRun,
  ProcessedFile,
  TriggerStore,
} from '../triggers/trigger-store.js';
import type { ServiceDatabase } from './database.js';
import type { MissedRunDetail, RunHistory } from './run-history.js';

export type DatabaseTriggerStoreOptions = {
  db: ServiceDatabase;
  /** Missed runs go into the run history as entries with status `missed`. */
  history: RunHistory;
  /** The flow's display name for a missed entry; the flow id when it is unknown. */
  flowName(flowId: string): Promise<string | undefined>;
};

/**
 * Keeps the triggers' state in the service database: schedule marks, processed files, and missed
 * runs as run history entries with status `missed`, so they are listed, filtered and pruned with
 * the other runs.
 */
export class DatabaseTriggerStore implements TriggerStore {
  private readonly db: ServiceDatabase;

  constructor(private readonly options: DatabaseTriggerStoreOptions) {
    this.db = options.db;
  }

  async getScheduleMark(flowId: string, triggerKey: string): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('schedule_marks')
      .select('handled_until')
      .where('flow_id', '=', flowId)
      .where('trigger_key', '=', triggerKey)
      .executeTakeFirst();
    return row === undefined ? undefined : new Date(row.handled_until);
  }

  async setScheduleMark(flowId: string, triggerKey: string, handledUntil: Date): Promise<void> {
    const handled_until = handledUntil.toISOString();
    await this.db
      .insertInto('schedule_marks')
      .values({ flow_id: flowId, trigger_key: triggerKey, handled_until })
      .onConflict((conflict) =>
        conflict.columns(['flow_id', 'trigger_key']).doUpdateSet({ handled_until }),
      )
      .execute();
  }

  async recordMissedRun(missed: MissedRun): Promise<void> {
    const detail: MissedRunDetail = {
      type: 'schedule',
      triggerKey: missed.triggerKey,
      plannedAt: missed.plannedAt.toISOString(),
      firstPlannedAt: missed.firstPlannedAt.toISOString(),
      count: missed.count,
      action: missed.action,
    };
    await this.options.history.insert({
      id: randomUUID(),
      flowId: missed.flowId,
      flowName: (await this.options.flowName(missed.flowId)) ?? missed.flowId,
      trigger: 'schedule',
      triggerDetail: detail,
      status: 'missed',
      startedAt: detail.plannedAt,
      finishedAt: missed.detectedAt.toISOString(),
      blocks: [],
      artifacts: [],
      variables: {},
    });
  }

  async hasProcessedFile(flowId: string, file: FileIdentity): Promise<boolean> {
    const row = await this.db
      .selectFrom('taken_files')
      .select('path')
      .where('flow_id', '=', flowId)
      .where('path', '=', file.path)
      .where('size', '=', file.size)
      .where('mtime_ms', '=', file.mtimeMs)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addProcessedFile(flowId: string, file: ProcessedFile): Promise<void> {
    await this.db
      .insertInto('taken_files')
      .values({
        flow_id: flowId,
        path: file.path,
        size: file.size,
        mtime_ms: file.mtimeMs,
        taken_at: file.takenAt.toISOString(),
        run_id: file.runId ?? null,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }

  /**
   * Deletes the processed-file entries whose run was interrupted (the process stopped during it),
   * so their triggers take the files again. Returns the paths, for the log.
   */
  async forgetInterruptedFiles(): Promise<string[]> {
    const interrupted = this.db.selectFrom('runs').select('id').where('status', '=', 'interrupted');
    const rows = await this.db
      .deleteFrom('taken_files')
      .where('run_id', 'in', interrupted)
      .returning('path')
      .execute();
    return rows.map((row) => row.path);
  }

  /**
   * Deletes the processed-file entries whose run has left the run history, unless their file is
   * still in place unchanged: forgetting such a file would make its trigger take it again.
   * Returns how many were deleted.
   */
  async pruneProcessedFiles(isInPlace: (file: FileIdentity) => Promise<boolean>): Promise<number> {
    const orphans = await this.db
      .selectFrom('taken_files')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('run_id', 'is', null),
          eb('run_id', 'not in', eb.selectFrom('runs').select('id')),
        ]),
      )
      .execute();
    let deleted = 0;
    for (const row of orphans) {
      const file = { path: row.path, size: row.size, mtimeMs: row.mtime_ms };
      if (await isInPlace(file)) continue;
      const result = await this.db
        .deleteFrom('taken_files')
        .where('flow_id', '=', row.flow_id)
        .where('path', '=', row.path)
        .where('size', '=', row.size)
        .where('mtime_ms', '=', row.mtime_ms)
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }

  /**
   * Deletes a flow's schedule marks except those of `keep` (trigger keys). Called when a flow is
   * saved or deleted, so a schedule that comes back later starts afresh instead of reporting the
   * time in between as missed.
   */
  async removeScheduleMarks(flowId: string, keep: readonly string[] = []): Promise<void> {
    let query = this.db.deleteFrom('schedule_marks').where('flow_id', '=', flowId);
    if (keep.length > 0) query = query.where('trigger_key', 'not in', keep);
    await query.execute();
  }
}
