import { copyFile, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { silentLogger, toKuryrError, type DataFolder, type Logger } from '@kuryr/nodes';
import type { FolderTrigger } from '../flow/trigger-schema.js';
import type { Clock, ClockTimer } from './clock.js';
import type { StartedRun } from './start-run.js';
import type { FileIdentity, TriggerStore } from './trigger-store.js';

export type FolderWatcherOptions = {
  flowId: string;
  triggerKey: string;
  trigger: FolderTrigger;
  dataFolder: DataFolder;
  clock: Clock;
  store: TriggerStore;
  /**
   * Starts a run for an arrived file; resolves with the run, or undefined when none started (for
   * example because the overlap policy skipped it). A file without a run is offered again.
   */
  onArrived(file: FileIdentity): Promise<StartedRun | undefined>;
  logger?: Logger;
  /** Time between two looks at the folder; default 2000 ms. */
  pollIntervalMs?: number;
};

/** State of one file name between polls. */
type Candidate = { size: number; mtimeMs: number; stableSince: number; taken: boolean };

/**
 * Watches one folder of the data folder by polling, which also works on network shares where
 * file-system events are unreliable. A file counts as arrived once its size and mtime stayed the
 * same for the trigger's `stableSeconds`. Each file (by path, size and mtime) is taken once, even
 * across restarts, because the store remembers it as soon as its run has started. After a
 * successful run the file moves into the archive folder, if one is set.
 */
export class FolderWatcher {
  private readonly logger: Logger;
  private readonly matches: (name: string) => boolean;
  private readonly candidates = new Map<string, Candidate>();
  private readonly work = new Set<Promise<void>>();
  private timer: ClockTimer | undefined;
  private stopped = false;
  private lastProblem: string | undefined;
  /** Names of files that could not be looked at, logged once each. */
  private readonly skipped = new Set<string>();

  constructor(private readonly options: FolderWatcherOptions) {
    this.matches = picomatch(options.trigger.pattern);
    this.logger = (options.logger ?? silentLogger).child({
      flowId: options.flowId,
      trigger: options.triggerKey,
    });
  }

  /** Looks at the folder now and then every poll interval. */
  start(): void {
    this.arm(0);
  }

  /** Stops polling; runs already started go on and still archive their files. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Resolves when every started file's run has finished and its file has been archived. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.all(this.work);
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimer(delayMs, async () => {
      try {
        await this.poll();
        this.lastProblem = undefined;
      } catch (error) {
        this.reportPollProblem(error);
      }
      this.arm(this.options.pollIntervalMs ?? 2000);
    });
  }

  /** Logs a failed poll once until the problem changes, so a missing folder does not flood. */
  private reportPollProblem(error: unknown): void {
    const failure = toKuryrError(error);
    if (failure.message === this.lastProblem) return;
    this.lastProblem = failure.message;
    this.logger.error('watched folder could not be read', {
      error: failure.message,
      code: failure.code,
    });
  }

  /** Logs once that a file is left alone, e.g. a symbolic link out of the data folder. */
  private reportSkippedFile(name: string, error: unknown): void {
    if (this.skipped.has(name)) return;
    this.skipped.add(name);
    const failure = toKuryrError(error);
    this.logger.warn('file in the watched folder skipped', {
      file: name,
      error: failure.message,
      code: failure.code,
    });
  }

  private async poll(): Promise<void> {
    const { dataFolder, trigger, clock } = this.options;
    const folder = await dataFolder.resolve(trigger.path);
    const entries = await readdir(folder, { withFileTypes: true });
    const now = clock.now();
    const present = new Set<string>();
    for (const entry of entries) {
      if (!(entry.isFile() || entry.isSymbolicLink()) || !this.matches(entry.name)) continue;
      present.add(entry.name);
      try {
        await this.observe(join(trigger.path, entry.name), entry.name, now);
        this.skipped.delete(entry.name);
      } catch (error) {
        this.reportSkippedFile(entry.name, error);
      }
    }
    for (const name of this.candidates.keys()) {
      if (!present.has(name)) this.candidates.delete(name);
    }
    for (const name of this.skipped) {
      if (!present.has(name)) this.skipped.delete(name);
    }
  }

  private async observe(path: string, name: string, now: number): Promise<void> {
    const resolved = await this.options.dataFolder.resolve(path);
    const info = await stat(resolved);
    if (!info.isFile()) return;
    const known = this.candidates.get(name);
    if (known === undefined || known.size !== info.size || known.mtimeMs !== info.mtimeMs) {
      this.candidates.set(name, {
        size: info.size,
        mtimeMs: info.mtimeMs,
        stableSince: now,
        taken: false,
      });
      return;
    }
    if (known.taken || now - known.stableSince < this.options.trigger.stableSeconds * 1000) return;
    const file: FileIdentity = {
      path: relative(this.options.dataFolder.root, resolved).split(sep).join('/'),
      size: info.size,
      mtimeMs: info.mtimeMs,
    };
    known.taken = true;
    if (await this.options.store.hasProcessedFile(this.options.flowId, file)) return;
    this.track(this.take(file, resolved, name));
  }

  /** Starts the file's run; a file whose run did not start is offered again at the next poll. */
  private async take(file: FileIdentity, resolved: string, name: string): Promise<void> {
    const { store, flowId, clock } = this.options;
    const run = await this.options.onArrived(file);
    if (run === undefined) {
      const candidate = this.candidates.get(name);
      if (candidate !== undefined) candidate.taken = false;
      return;
    }
    await store.addProcessedFile(flowId, {
      ...file,
      takenAt: new Date(clock.now()),
      runId: run.runId,
    });
    this.logger.info('file taken', { path: file.path, size: file.size, runId: run.runId });
    const outcome = await run.finished;
    if (outcome.status !== 'succeeded' || this.options.trigger.archivePath === undefined) return;
    await this.archive(file, resolved);
  }

  /** Moves a file into the archive folder unless it changed during the run. */
  private async archive(file: FileIdentity, resolved: string): Promise<void> {
    const now = await stat(resolved);
    if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
      this.logger.warn('file changed during its run, so it stays in place', { path: file.path });
      return;
    }
    const archivePath = this.options.trigger.archivePath!;
    const folder = await this.options.dataFolder.resolve(archivePath, 'write');
    await mkdir(folder, { recursive: true });
    const target = await freeName(folder, basename(resolved), this.options.clock.now());
    try {
      await rename(resolved, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(resolved, target);
      await unlink(resolved);
    }
    this.logger.info('file archived', { path: file.path, archive: archivePath });
  }

  private track(task: Promise<void>): void {
    const tracked = task
      .catch((error: unknown) => {
        const failure = toKuryrError(error);
        this.logger.error('arrived file could not be handled', {
          error: failure.message,
          code: failure.code,
        });
      })
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }
}

/** Returns `folder/name`, or `folder/name-TIME.ext` when a file of that name is archived already. */
async function freeName(folder: string, name: string, now: number): Promise<string> {
  const plain = join(folder, name);
  if (!(await exists(plain))) return plain;
  const extension = extname(name);
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt++) {
    const suffix = attempt === 0 ? stamp : `${stamp}-${attempt}`;
    const candidate = join(
      folder,
      `${name.slice(0, name.length - extension.length)}-${suffix}${extension}`,
    );
    if (!(await exists(candidate))) return candidate;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
