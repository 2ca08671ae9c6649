import type { Readable } from 'node:stream';

/** One entry of a remote folder listing. */
export type RemoteEntry = {
  name: string;
  /** Absolute path on the server. */
  path: string;
  kind: 'file' | 'folder' | 'other';
  size: number;
  /** Modification time, when the server reports it. */
  modifiedAt: Date | undefined;
};

/**
 * A logged-in connection to a file server, the same for FTP and SFTP, so that each operation is
 * written once. Every call is bounded by the session's timeout and fails with a KuryrError.
 */
export interface RemoteSession {
  /** `protocol://host:port`, as the ledger and the log name the server. */
  readonly server: string;
  list(folder: string): Promise<RemoteEntry[]>;
  /**
   * Copies the file into the local file `target`, replacing it, without holding it in memory.
   * Resolves when the whole file arrived, with its SHA-256 in hex when the session computed it
   * on the way, or undefined.
   */
  download(path: string, target: string): Promise<string | undefined>;
  /** Streams `source` into a new or replaced file at `path`. */
  upload(source: Readable, path: string): Promise<void>;
  /** Size of the file at `path`, or undefined when there is none. */
  size(path: string): Promise<number | undefined>;
  rename(from: string, to: string): Promise<void>;
  delete(path: string): Promise<void>;
  /** Creates the folder and its missing parents; an existing folder is fine. */
  makeFolder(path: string): Promise<void>;
  /** Ends the session; resolves with a problem that came with the disconnect, if any. */
  close(): Promise<Error | undefined>;
  /** True when `rename` replaces an existing target in one step. */
  readonly replacesOnRename: boolean;
  /** False once the connection broke; the pool then opens a new session. */
  readonly isUsable: boolean;
}
