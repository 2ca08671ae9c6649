import type { z } from 'zod';
import type { BlockContext, CommitOutcome, CommitPhase } from '../../contract/block.js';
import type { Credential } from '../../contract/credentials.js';
import { AbortedError, FlowAuthorError, KuryrError } from '../../contract/errors.js';
import type { Logger } from '../../contract/logger.js';
import { ConnectionPool } from './connection-pool.js';
import type { RemoteSession } from './remote-session.js';
import type { connectionParameters } from './transfer-parameters.js';

export type ConnectionParameters = z.infer<typeof connectionParameters>;

/** What a protocol needs to open a session besides the credential. */
export type SessionEnvironment = {
  timeoutMs: number;
  logger: Logger;
  warn: BlockContext<unknown>['warn'];
};

/** One protocol of the transfer blocks: FTP or SFTP. */
export type TransferProtocol = {
  id: 'ftp' | 'sftp';
  title: string;
  open(
    credential: Credential,
    parameters: Record<string, unknown>,
    environment: SessionEnvironment,
  ): Promise<RemoteSession>;
  /** The block parameters that change how a session behaves, e.g. FTP security and mode. */
  sessionSettings(parameters: Record<string, unknown>): unknown[];
};

const runPools = new Map<string, { pool: ConnectionPool; users: number }>();

/**
 * A transfer block's access to its server for one run: sessions come from a pool shared by all
 * transfer blocks of the run (so a connection is reused and at most `connectionsPerHost` are
 * open per server), and each call is retried by the executor after a dropped connection or a
 * timeout.
 */
export class TransferRun {
  private pool: ConnectionPool | undefined;
  private hasRunEndWork = false;

  private constructor(
    private readonly protocol: TransferProtocol,
    private readonly context: BlockContext<ConnectionParameters>,
    private readonly credential: Credential,
  ) {}

  /** Resolves the block's credential; sessions are used inside `within`. */
  static async start(
    protocol: TransferProtocol,
    context: BlockContext<ConnectionParameters>,
  ): Promise<TransferRun> {
    const credential = await context.credentials.get(context.params.credential);
    if (credential.host === undefined) {
      throw new FlowAuthorError(
        'CREDENTIAL_INCOMPLETE',
        `credential "${context.params.credential}" gives no host`,
        {
          hint: `Add the ${protocol.title} server's host name to the credential.`,
          context: { parameter: 'credential' },
        },
      );
    }
    return new TransferRun(protocol, context, credential);
  }

  /**
   * Runs the block's operation as a user of the run's pool. When the operation left work for
   * the end of the run (through `onCommit` or `onRollback`), the block stays a user until the
   * run ends, so that work reuses the block's connections instead of opening new ones.
   */
  async runBlock(operation: () => Promise<void>): Promise<void> {
    const leave = this.join();
    let isHeld = false;
    try {
      await operation();
      isHeld = this.hasRunEndWork;
    } finally {
      if (isHeld) {
        // Registered last in the last phase, so it runs after the block's own commit actions.
        this.context.transaction.onCommit(leave, 'clean-up');
        this.context.transaction.onRollback(leave);
      } else {
        await leave();
      }
    }
  }

  /**
   * Registers work for a committing run that needs sessions: renaming an upload (`publish`), or
   * deleting downloaded files on the server once everything else was published (`clean-up`).
   */
  onCommit(action: (outcome: CommitOutcome) => Promise<void>, phase?: CommitPhase): void {
    this.hasRunEndWork = true;
    this.context.transaction.onCommit((outcome) => this.within(() => action(outcome)), phase);
  }

  /** Registers work for a failed run that needs sessions, e.g. deleting a staged upload. */
  onRollback(action: () => Promise<void>): void {
    this.hasRunEndWork = true;
    this.context.transaction.onRollback(() => this.within(action));
  }

  private async within<T>(work: () => Promise<T>): Promise<T> {
    const leave = this.join();
    try {
      return await work();
    } finally {
      await leave();
    }
  }

  /** Joins the run's pool; the returned function leaves it once, and the last user closes it. */
  private join(): () => Promise<void> {
    const { runId } = this.context;
    const entry = runPools.get(runId) ?? { pool: new ConnectionPool(), users: 0 };
    entry.users++;
    runPools.set(runId, entry);
    this.pool = entry.pool;
    let hasLeft = false;
    return async () => {
      if (hasLeft) return;
      hasLeft = true;
      if (--entry.users > 0) return;
      runPools.delete(runId);
      await entry.pool.closeAll((server, problem) => this.warnDisconnect(server, problem));
    };
  }

  /**
   * Runs `use` with a session through the executor's network calls, which retry the whole call
   * after a retryable failure (a dropped connection, a timeout) with the block's retry settings.
   * The sessions enforce the block's timeout as an idle timeout, so a long transfer never ends
   * early. `description` names the call in the log and the NETWORK_RETRY warning.
   */
  session<T>(description: string, use: (session: RemoteSession) => Promise<T>): Promise<T> {
    const { params, logger } = this.context;
    const pool = this.pool;
    if (pool === undefined) throw new Error('TransferRun.session called outside runBlock()');
    const { user = '', host, port = '' } = this.credential;
    // Sessions are shared only between blocks that would open the same one: the credential
    // name keeps apart accounts with different certificate rules on one server.
    const key = JSON.stringify([
      this.protocol.id,
      params.credential,
      user,
      host,
      port,
      this.protocol.sessionSettings(params),
    ]);
    const environment: SessionEnvironment = {
      timeoutMs: params.timeoutSeconds * 1000,
      logger,
      warn: this.context.warn,
    };
    const open = () => this.protocol.open(this.credential, params, environment);
    const { signal } = this.context;
    return this.context.network.call(
      `${this.protocol.id} ${description}`,
      () =>
        pool.with(
          key,
          params.connectionsPerHost,
          open,
          (session) => useUntil(signal, session, use),
          (granted, error) => this.warnConnectionLimit(granted, error),
        ),
      { timeout: 'idle' },
    );
  }

  private warnConnectionLimit(granted: number, error: KuryrError): void {
    const { connectionsPerHost } = this.context.params;
    this.context.warn(
      'CONNECTION_LIMIT_REACHED',
      `${error.message}; the run goes on with the ${granted} of ${connectionsPerHost} ` +
        'connections the server accepted. Lower connectionsPerHost to the server limit to ' +
        'avoid the refused attempt.',
      { host: this.credential.host },
    );
  }

  private warnDisconnect(server: string, problem: Error): void {
    this.context.warn(
      'DISCONNECT_PROBLEM',
      `the connection to ${server} failed while closing, after all work was confirmed: ${problem.message}`,
      { server },
    );
  }
}

/**
 * Runs `use` and drops the session's connection when the run is cancelled, so that a transfer
 * in progress ends at once rather than when the file is done or the timeout passes. Rollback
 * work runs after the cancel, such as deleting a staged upload, and so is not aborted.
 */
async function useUntil<T>(
  signal: AbortSignal,
  session: RemoteSession,
  use: (session: RemoteSession) => Promise<T>,
): Promise<T> {
  if (signal.aborted) return use(session);
  const abort = () => session.abort();
  signal.addEventListener('abort', abort, { once: true });
  try {
    return await use(session);
  } catch (error) {
    if (!signal.aborted) throw error;
    throw signal.reason instanceof KuryrError ? signal.reason : new AbortedError();
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
