/** A file as the folder watcher identifies it: a changed size or mtime makes it a new arrival. */
export type FileIdentity = {
  /** Path relative to the data folder, with `/` separators. */
  path: string;
  size: number;
  mtimeMs: number;
};

/** A file a folder trigger took, with when and for which run. */
export type ProcessedFile = FileIdentity & { takenAt: Date; runId?: string };

/** A schedule time that passed without a run, because the runtime was down, asleep or late. */
export type MissedRun = {
  flowId: string;
  /** Key of the schedule trigger, as triggerKey returns it. */
  triggerKey: string;
  /** The latest planned time that was missed. */
  plannedAt: Date;
  /** The earliest planned time that was missed; equal to plannedAt when only one was. */
  firstPlannedAt: Date;
  /** How many planned times were missed, counted up to MAX_COUNTED_MISSED_RUNS. */
  count: number;
  /** `caught-up` when the policy started one run for them, `skipped` otherwise. */
  action: 'caught-up' | 'skipped';
  /** When the scheduler noticed. */
  detectedAt: Date;
};

/**
 * What triggers keep between restarts of the runtime. The service implements it on its
 * database; MemoryTriggerStore keeps it in memory for tests and one-off use.
 */
export interface TriggerStore {
  /**
   * Returns the time up to which a schedule's planned times have been handled (fired, skipped or
   * recorded as missed), or undefined for a schedule never seen before.
   */
  getScheduleMark(flowId: string, triggerKey: string): Promise<Date | undefined>;
  setScheduleMark(flowId: string, triggerKey: string, handledUntil: Date): Promise<void>;
  /** Records missed planned times, e.g. in the run history. */
  recordMissedRun(missed: MissedRun): Promise<void>;
  /** True when this flow already took the file with this path, size and mtime. */
  hasProcessedFile(flowId: string, file: FileIdentity): Promise<boolean>;
  /**
   * Remembers a file the flow took. The service's store drops the entry once its run has left the
   * run history and the file is gone or changed; MemoryTriggerStore never drops it.
   */
  addProcessedFile(flowId: string, file: ProcessedFile): Promise<void>;
}

/** A TriggerStore in memory: nothing survives the process, so use it in tests only. */
export class MemoryTriggerStore implements TriggerStore {
  readonly scheduleMarks = new Map<string, Date>();
  readonly missedRuns: MissedRun[] = [];
  readonly processedFiles = new Map<string, ProcessedFile & { flowId: string }>();

  async getScheduleMark(flowId: string, triggerKey: string): Promise<Date | undefined> {
    return this.scheduleMarks.get(`${flowId}\n${triggerKey}`);
  }

  async setScheduleMark(flowId: string, triggerKey: string, handledUntil: Date): Promise<void> {
    this.scheduleMarks.set(`${flowId}\n${triggerKey}`, handledUntil);
  }

  async recordMissedRun(missed: MissedRun): Promise<void> {
    this.missedRuns.push(missed);
  }

  async hasProcessedFile(flowId: string, file: FileIdentity): Promise<boolean> {
    return this.processedFiles.has(fileKey(flowId, file));
  }

  async addProcessedFile(flowId: string, file: ProcessedFile): Promise<void> {
    this.processedFiles.set(fileKey(flowId, file), { ...file, flowId });
  }
}

function fileKey(flowId: string, file: FileIdentity): string {
  return `${flowId}\n${file.path}\n${file.size}\n${file.mtimeMs}`;
}
