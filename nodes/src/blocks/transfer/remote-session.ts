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

/** Options of RemoteSession.list. */
export type ListOptions = {
  /**
   * Whether the caller needs the details of the file with this name: its exact modification
   * time, and for a symbolic link, whether it leads to a file.
   */
  needsDetails?: (name: string) => boolean;
};

/**
 * A logged-in connection to a file server, the same for FTP and SFTP, so that each operation is
 * written once. Every call is bounded by the session's timeout and fails with a KuryrError.
 */
export interface RemoteSession {
  /** `protocol://host:port`, as messages and the log name the server. */
  readonly server: string;
  /**
   * `protocol://user@host:port` with the user URL-encoded, as the ledger names the server:
   * two accounts on one host see different files.
   */
  readonly account: string;
  /**
   * Lists the folder. Where the listing itself gives no exact time (an FTP server without MLSD)
   * or shows a symbolic link, the session requests the details of each file whose name
   * `options.needsDetails` accepts, of every file when it is omitted. A link that leads to a
   * regular file is then listed as a file with the target's size and time. A link that leads
   * nowhere, or whose target's type is unknown, has the kind `other`.
   */
  list(folder: string, options?: ListOptions): Promise<RemoteEntry[]>;
  /**
   * Copies the file into the local file `target` without holding it in memory, and resolves
   * with the SHA-256 of the whole local file in hex once the rest of the file arrived. With an
   * `offset` above 0, `target` holds that many bytes of an earlier attempt, and the session
   * resumes after them where the server allows it, or else starts over.
   */
  download(path: string, target: string, offset: number): Promise<string>;
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
  /** Drops the connection at once, so the call in progress fails, e.g. when the run is cancelled. */
  abort(): void;
  /** True when `rename` replaces an existing target in one step. */
  readonly replacesOnRename: boolean;
  /** False once the connection broke; the pool then opens a new session. */
  readonly isUsable: boolean;
}

/** Returns `protocol://user@host:port` with the user URL-encoded, for RemoteSession.account. */
export function accountName(protocol: string, user: string, host: string, port: number): string {
  return `${protocol}://${encodeURIComponent(user)}@${host}:${port}`;
}
