import type { z } from 'zod';
import type { FileItem } from './files.js';
import type { Logger } from './logger.js';
import type { NetworkCalls } from './network.js';
import type { ExpressionEngine } from '../expressions/engine.js';
import type { DataFolder, TempArea } from './storage.js';
import type { CredentialStore } from './credentials.js';
import type { ProcessedFileLedger } from './ledger.js';

/** A record on a `records` port: a plain JSON object. */
export type DataRecord = Record<string, unknown>;

/** Kind of item a port carries. A wire connects only ports of the same kind. */
export type PortKind = 'records' | 'files';

/** An item of either kind, as the executor moves it. */
export type PortItem = DataRecord | FileItem;

/** A named input or output of a block. */
export type PortSpec = {
  name: string;
  kind: PortKind;
  label: string;
  help?: string;
  /** An input that may stay unwired; inputs are required unless this is true. */
  optional?: boolean;
};

/** Name of the output that every block has implicitly: its failures, when wired. */
export const ERROR_PORT = 'error';

/** Credential kinds that blocks may declare. */
export type CredentialKind = 'ftp' | 'sftp' | 'smtp' | 'imap' | 'pgp-key' | 'http-auth';

/** Details of a warning: where it happened, so the author can find the data. */
export type WarningDetails = {
  record?: number;
  field?: string;
  offset?: number;
  file?: string;
  [key: string]: unknown;
};

/** Input port of a running block: batches in arrival order, ending when all wires end. */
export type InputStream<T> = AsyncIterable<readonly T[]>;

/** Output port of a running block. `send` waits while consumers are busy (backpressure). */
export interface OutputPort<T> {
  send(batch: readonly T[]): Promise<void>;
  /** False when nothing is wired to this port, so the block may skip producing it. */
  readonly isWired: boolean;
  /**
   * Announces the field names, in column order, of the records this port sends, so that a block
   * downstream receives them even when no record comes, as for a CSV file with only a header. A
   * block that has its columns before its records (Read CSV, Read DBF, Map with an object
   * constructor) calls it before it ends, and a later call replaces an earlier one. Only records
   * ports use it, and a block need not call it.
   */
  announceColumns(columns: readonly string[]): void;
}

/** How a run ended that commits: cleanly, or with some errors sent to error ports. */
export type CommitOutcome = { status: 'succeeded' | 'completed_with_errors' };

/**
 * When a commit action runs. `check` actions run first and fail the commit before anything is
 * published, e.g. when a download no longer has the claim on a file it consumed. `publish`
 * actions make the run's results visible, e.g. rename a staged file. `clean-up` actions run
 * only once every publish action succeeded, for what cannot be undone, such as recording
 * consumed input or deleting it at its source.
 */
export type CommitPhase = 'check' | 'publish' | 'clean-up';

/** Actions run when the whole run ends, so that effects become visible only for a good run. */
export interface RunTransaction {
  /**
   * Runs `action` after every block finished and the run did not fail, also when errors went to
   * error ports; `outcome` tells which, so an action may skip itself for a run with errors.
   * Actions run in the order of their `phase` (default `publish`), then of registration.
   */
  onCommit(action: (outcome: CommitOutcome) => Promise<void>, phase?: CommitPhase): void;
  /** Runs `action` when the run failed or was cancelled. */
  onRollback(action: () => Promise<void>): void;
}

/** Everything a block receives when it runs. */
export type BlockContext<P> = {
  /** Parameters after defaults and expression parameters have been applied. */
  params: P;
  inputs: Record<string, InputStream<PortItem>>;
  outputs: Record<string, OutputPort<PortItem>>;
  signal: AbortSignal;
  /** A logger that carries the run, flow and block ids. */
  logger: Logger;
  /**
   * Returns the columns announced to an input port (see OutputPort.announceColumns), or
   * undefined when none were. With several wires into the port, the first wire's announcement
   * counts. Complete once the port's input has ended.
   */
  inputColumns(port: string): readonly string[] | undefined;
  /** Records a warning for the run's report; repeated codes are counted, not all kept. */
  warn(code: string, message: string, details?: WarningDetails): void;
  /**
   * Handles an error about one item: sends it to the error port when that is wired and returns,
   * otherwise throws it so the block fails.
   */
  reportItemError(error: unknown, item?: PortItem, details?: WarningDetails): Promise<void>;
  /** Reports a file that the run produced, e.g. for the summary. */
  reportArtifact(path: string): void;
  expressions: ExpressionEngine;
  files: DataFolder;
  temp: TempArea;
  /** Network calls with the block's timeout and retries (see networkParameters). */
  network: NetworkCalls;
  transaction: RunTransaction;
  /** Values of the flow's declared variables. */
  variables: Readonly<Record<string, string>>;
  /** When the run started; `$now()` returns this for every record of the run. */
  runStartedAt: Date;
  runId: string;
  flowId: string;
  /** Resolves the credentials the flow names, e.g. the FTP account of an e-shop. */
  credentials: CredentialStore;
  /** Remembers the remote files that committed runs consumed. */
  ledger: ProcessedFileLedger;
};

/** Help text of a block, shown in the editor. */
export type BlockHelp = {
  summary: string;
  inputs?: Record<string, string>;
  outputs?: Record<string, string>;
};

/** A problem with one parameter of a block, found before the run. */
export type ParameterProblem = { parameter: string; message: string };

/**
 * One block type, declared once as a plain object: identity, ports, parameters, credentials,
 * run and migration.
 */
export type BlockDefinition<S extends z.ZodObject = z.ZodObject> = {
  /** Family and action joined by a dot, e.g. `dbf.read`; stable forever. */
  type: string;
  version: number;
  title: string;
  category: string;
  icon: string;
  help: BlockHelp;
  inputs: readonly PortSpec[];
  outputs: readonly PortSpec[];
  /** Parameters; fields may carry `expression: true` or `widget` in their metadata. */
  parameters: S;
  credentials?: readonly CredentialKind[];
  run(context: BlockContext<z.infer<S>>): Promise<void>;
  /**
   * Finds problems between parameters that the schema cannot express, for validation before a
   * run. `parameters` are as saved in the flow: a value may be an expression object.
   */
  checkParameters?(parameters: Readonly<Record<string, unknown>>): ParameterProblem[];
  /** Upgrades parameters saved by an older version of the block. */
  migrate?(parameters: Record<string, unknown>, fromVersion: number): Record<string, unknown>;
};

/** Declares a block; keeps the parameter type inferred from the schema. */
export function defineBlock<S extends z.ZodObject>(
  definition: BlockDefinition<S>,
): BlockDefinition<S> {
  return definition;
}
