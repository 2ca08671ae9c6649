import { z } from 'zod';

/** Runs only when someone starts the flow; every flow can be started by hand anyway. */
export const manualTriggerSchema = z.strictObject({ type: z.literal('manual') });

/**
 * Runs at the times of a cron expression in a time zone. The expression has five fields, or six
 * with seconds first (`0 30 6 * * 1-5`: 06:30:00 on weekdays); `timeZone` is an IANA name such as
 * `Europe/Prague`. Daylight-saving changes follow croner: a fixed time that occurs twice runs once,
 * at its first occurrence, and a fixed time that does not exist runs at the end of the gap.
 */
export const scheduleTriggerSchema = z.strictObject({
  type: z.literal('schedule'),
  cron: z.string().min(1),
  timeZone: z.string().min(1),
});

/**
 * Runs once for every file that arrives in a folder of the data folder. A file has arrived when
 * its size and modification time stayed the same for `stableSeconds`. Each file is taken once; a
 * file that changes afterwards is taken again.
 */
export const folderTriggerSchema = z.strictObject({
  type: z.literal('folder'),
  /** Folder to watch, relative to the data folder; files in subfolders are not taken. */
  path: z.string().min(1),
  /** Glob pattern the file name must match (picomatch syntax), e.g. `*.dbf`; default `*`. */
  pattern: z.string().min(1).default('*'),
  /** Seconds the size and modification time must stay the same; default 10. */
  stableSeconds: z.number().positive().default(10),
  /** Folder, relative to the data folder, that the file moves into after a successful run. */
  archivePath: z.string().min(1).optional(),
  /**
   * Declared flow variable that receives the file's path relative to the data folder; default
   * `TRIGGER_FILE` when the flow declares it.
   */
  fileVariable: z.string().min(1).optional(),
});

export const triggerSchema = z.discriminatedUnion('type', [
  manualTriggerSchema,
  scheduleTriggerSchema,
  folderTriggerSchema,
]);

/**
 * What happens to runs of one flow: when a trigger fires while a run is going (`skip` the new run,
 * `queue` it until the others finish, or run in `parallel`), the maximum run time after which the
 * run is cancelled, and whether a schedule time missed while the runtime was down or asleep is
 * caught up once (`catch-up-once`) or only recorded (`skip`).
 */
export const runPolicySchema = z.strictObject({
  overlap: z.enum(['skip', 'queue', 'parallel']).default('skip'),
  /** Seconds a run may take before it is cancelled; no limit when absent. */
  maxRunSeconds: z.number().positive().optional(),
  missedRuns: z.enum(['catch-up-once', 'skip']).default('skip'),
});

export type ManualTrigger = z.infer<typeof manualTriggerSchema>;
export type ScheduleTrigger = z.infer<typeof scheduleTriggerSchema>;
export type FolderTrigger = z.infer<typeof folderTriggerSchema>;
export type Trigger = z.infer<typeof triggerSchema>;
export type RunPolicy = z.infer<typeof runPolicySchema>;

/** Name of the variable a folder trigger fills when the flow declares it and names none. */
export const DEFAULT_FILE_VARIABLE = 'TRIGGER_FILE';

/** Returns a flow's run policy with its defaults; a flow without one gets every default. */
export function resolveRunPolicy(policy: Partial<RunPolicy> | undefined): RunPolicy {
  return runPolicySchema.parse(policy ?? {});
}
