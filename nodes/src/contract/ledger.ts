import { InternalError } from './errors.js';

/** What identifies one version of a file on a server: a changed file is a new version. */
export type RemoteFileVersion = {
  /**
   * Server and account as `protocol://user@host:port` with the user URL-encoded, e.g.
   * `ftp://orders@shop.example.cz:21`. Entries recorded before the user was part of the name
   * are `protocol://host:port`.
   */
  server: string;
  /** Absolute path on the server. */
  path: string;
  size: number;
  /** Modification time as ISO 8601, or null when the server does not tell it. */
  modifiedAt: string | null;
};

/** A downloaded file, as the ledger records it once its run commits. */
export type ProcessedFile = RemoteFileVersion & {
  /** SHA-256 of the content, hex. */
  checksum: string;
  flowId: string;
  runId: string;
  /**
   * Absolute paths of the hidden staged file and of its name once published, when the block
   * saves the file into the data folder.
   */
  stagedPath?: string;
  targetPath?: string;
};

/** A remote file that one run of a flow downloads: no other run of the flow may take it. */
export type FileClaimRequest = {
  server: string;
  path: string;
  flowId: string;
  runId: string;
  /** Called when the claim is taken over from a run whose lease expired without renewal. */
  onTakeOver?: (previous: ExpiredClaim) => void;
};

/** A file that a run has claimed. */
export type ClaimedFile = { server: string; path: string };

/** A claim whose lease ran out, as a process on another host that died leaves it. */
export type ExpiredClaim = {
  runId: string;
  /** Host name of the claiming process. */
  host: string;
  /** ISO 8601. */
  claimedAt: string;
  /** ISO 8601. */
  leaseExpiredAt: string;
};

/** The claim of another live run on a file. */
export type FileClaim = {
  runId: string;
  /** ISO 8601. */
  claimedAt: string;
};

/**
 * Remembers which remote files a committed run of each flow consumed, so that a file still on
 * the server is not imported again by that flow, even when deleting or moving it after the run
 * failed. Other flows import the same file on their own.
 */
export interface ProcessedFileLedger {
  /** True when this version of the file was consumed by a committed run of the flow `flowId`. */
  isProcessed(file: RemoteFileVersion, flowId: string): Promise<boolean>;
  /** Records the files as processed, all or none. Blocks call it from a commit action. */
  markProcessed(files: readonly ProcessedFile[]): Promise<void>;
  /**
   * Records the files as pending, all or none, before the commit publishes them. A pending file
   * does not count as processed; `markProcessed` makes it so.
   */
  markPending(files: readonly ProcessedFile[]): Promise<void>;
  /** Returns the pending files of the flow, left by runs that are committing or died doing so. */
  pendingFiles(flowId: string): Promise<ProcessedFile[]>;
  /** Deletes the pending records of the files, or of every file of the run. */
  discardPending(target: { runId: string } | { files: readonly ProcessedFile[] }): Promise<void>;
  /**
   * Claims a file for one run of a flow before it is downloaded. Returns undefined when the
   * claim succeeded (or the run held it already), or the claim of another live run of the same
   * flow. Claims of runs that ended or whose process died are taken over, as are claims whose
   * lease expired: a process on another host cannot be checked, so its claims hold only while
   * it renews them.
   */
  claim(request: FileClaimRequest): Promise<FileClaim | undefined>;
  /**
   * Extends the leases of the run's claims and returns the files the run still holds, without
   * those another run took over. The ledger also renews them itself while the run lasts.
   */
  renewClaims(runId: string): Promise<ClaimedFile[]>;
  /** Releases every claim of the run; called when it commits or rolls back. */
  releaseClaims(runId: string): Promise<void>;
}

/** The ledger of a run that was given none. Every call fails with LEDGER_MISSING. */
export const missingLedger: ProcessedFileLedger = {
  isProcessed: () => Promise.reject(ledgerMissingError()),
  markProcessed: () => Promise.reject(ledgerMissingError()),
  claim: () => Promise.reject(ledgerMissingError()),
  renewClaims: () => Promise.reject(ledgerMissingError()),
  releaseClaims: () => Promise.reject(ledgerMissingError()),
  markPending: () => Promise.reject(ledgerMissingError()),
  pendingFiles: () => Promise.reject(ledgerMissingError()),
  discardPending: () => Promise.reject(ledgerMissingError()),
};

function ledgerMissingError(): InternalError {
  return new InternalError(
    'LEDGER_MISSING',
    'this run has no processed-file ledger, so downloads cannot be remembered',
  );
}
