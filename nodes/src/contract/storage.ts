/** Purpose of a resolved path: reading or writing. */
export type FilePurpose = 'read' | 'write';

/**
 * The one folder that file blocks may read and write. Every path a flow uses resolves against it,
 * and a path that leaves it is rejected.
 */
export interface DataFolder {
  /** Absolute root of the data folder. */
  readonly root: string;
  /**
   * Resolves `path` inside the data folder for reading (the default) or writing. Throws a
   * FlowAuthorError for a path that leaves the folder (through `..`, an absolute path or a
   * symbolic link), that points into the state folder, or that one run both reads and writes.
   */
  resolve(path: string, purpose?: FilePurpose): Promise<string>;
}

/** A per-run folder for spooled file content, removed when the run ends. */
export interface TempArea {
  /** Returns a new path inside the area; nothing is created. */
  newPath(suffix?: string): string;
}
