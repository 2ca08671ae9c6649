import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { EnvironmentError, type DataFolder, type Logger } from '@kuryr/nodes';
import { createCatalog, type BlockCatalog } from '../catalog.js';
import { AccountStore, randomToken, sha256 } from '../storage/account-store.js';
import { VaultCredentials } from '../storage/credential-store.js';
import { openDatabase } from '../storage/database.js';
import { makePrivateFolder } from '../storage/private-files.js';
import { createDataFolder } from '../storage/data-folder.js';
import { FlowStore } from '../storage/flow-store.js';
import { RunHistory, type RetentionPolicy } from '../storage/run-history.js';
import { removeAbandonedTempAreas } from '../storage/temp-area.js';
import { VariableStore } from '../storage/variable-store.js';
import { openVault } from '../storage/vault.js';
import type { ServiceContext } from './context.js';
import { ExpressionEvaluator } from './evaluate.js';
import { API_PREFIX, createHttpApp } from './http-app.js';
import { LiveHub } from './live-hub.js';
import { attachLiveSocket } from './live-socket.js';
import { RunManager } from './run-manager.js';
import { systemClock, type Clock } from '../triggers/clock.js';
import { TriggerManager, triggerKey } from '../triggers/trigger-manager.js';
import type { FileIdentity } from '../triggers/trigger-store.js';
import { DatabaseTriggerStore } from '../storage/database-trigger-store.js';

/** Environment variable with the administrator's password for the first start. */
export const ADMIN_PASSWORD_VARIABLE = 'KURYR_ADMIN_PASSWORD';

export type ServiceOptions = {
  /** Address to listen on; default 127.0.0.1. Any other logs a warning. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  stateDir: string;
  dataDir: string;
  logger: Logger;
  /** Environment for the vault key and the administrator's password; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Run history kept; default 30 days and 200 runs per flow. */
  retention?: RetentionPolicy;
  /** Time running flows get to finish at stop before they are cancelled; default 30 s. */
  shutdownGraceMs?: number;
  /**
   * Time as the service sees it: triggers (schedules, missed runs, stable files), run start and
   * end times, the maximum run time and history pruning; default systemClock. Tests pass a
   * ManualClock. Sessions, the times inside a run's block reports and network retries use the
   * system time.
   */
  clock?: Clock;
  /**
   * Time a run gets to stop after a cancel or its maximum run time before its worker thread is
   * terminated; default 5000 ms.
   */
  runStopGraceMs?: number;
  /**
   * Old-generation heap limit of each run's worker thread in MB; a run that needs more fails with
   * RUN_OUT_OF_MEMORY. Default the heap limit V8 chose for the process.
   */
  runHeapLimitMb?: number;
  /**
   * Runs of all flows that execute at once; a further run waits with status `queued` until one
   * ends. Default DEFAULT_MAX_CONCURRENT_RUNS.
   */
  maxConcurrentRuns?: number;
  /** Time an editor expression may run before its worker is terminated; default 5000 ms. */
  evaluateTimeoutMs?: number;
  /** Time between two looks at a watched folder; default 2000 ms. */
  folderPollIntervalMs?: number;
  /** Login attempts per client address and window; default 10 per 5 minutes. */
  loginLimit?: number;
  loginWindowMs?: number;
  /**
   * Blocks the flows may use; default the standard catalog. Runs of the standard catalog go to
   * worker threads, which load it themselves. With another catalog, e.g. test blocks, runs go on
   * the service's own thread, and a block stuck in a synchronous call stops the service.
   */
  catalog?: BlockCatalog;
  /** The built editor; served when the folder exists. */
  editorDist?: string;
};

/** A started service. */
export type RunningService = {
  url: string;
  /** The express application, e.g. to list its routes. */
  app: Express;
  port: number;
  context: ServiceContext;
  hub: LiveHub;
  /** Stops triggers, lets running flows finish within the grace time, then closes everything. */
  stop(): Promise<void>;
};

/** Folder of the built editor in this repository. */
export const defaultEditorDist = fileURLToPath(new URL('../../../editor/dist', import.meta.url));

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Starts the runtime service: opens the state folder (flows, database, vault), marks runs that a
 * stopped process left running as interrupted, removes abandoned temporary folders, starts the
 * flows' triggers and serves the API, the live WebSocket and the editor.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { logger, stateDir } = options;
  const host = options.host ?? '127.0.0.1';
  const retention = options.retention ?? { maxAgeDays: 30, maxRunsPerFlow: 200 };
  const formerMode = await makePrivateFolder(stateDir);
  if (formerMode !== undefined) {
    logger.warn('state folder narrowed to its owner', {
      folder: stateDir,
      formerMode: formerMode.toString(8),
    });
  }
  const clock = options.clock ?? systemClock;
  const flows = new FlowStore(stateDir);
  await flows.open();
  const db = await openDatabase(stateDir);
  try {
    const vault = await openVault(db, stateDir, options.env);
    const history = new RunHistory(db);
    for (const runId of await history.markInterrupted(new Date(clock.now()))) {
      logger.warn('run interrupted by a stop of the service', { runId });
    }
    const tempParent = join(stateDir, 'tmp');
    for (const name of await removeAbandonedTempAreas(tempParent)) {
      logger.info('abandoned temporary folder removed', { folder: name });
    }

    const dataFolder = await createDataFolder(options.dataDir, stateDir);
    const catalog = options.catalog ?? createCatalog();
    const variables = new VariableStore(db);
    const credentials = new VaultCredentials(db, vault);
    const hub = new LiveHub({ runningStates: () => runs.runningStates() });
    const runs = new RunManager({
      flows,
      history,
      variables,
      credentials,
      catalog,
      standardCatalog: options.catalog === undefined,
      stateDir,
      dataFolder,
      tempParent,
      logger,
      retention,
      clock,
      ...(options.runStopGraceMs === undefined ? {} : { stopGraceMs: options.runStopGraceMs }),
      ...(options.runHeapLimitMb === undefined ? {} : { runHeapLimitMb: options.runHeapLimitMb }),
      ...(options.maxConcurrentRuns === undefined
        ? {}
        : { maxConcurrentRuns: options.maxConcurrentRuns }),
      onEvent: (event) => hub.publish(event),
    });
    const triggerStore = new DatabaseTriggerStore({
      db,
      history,
      flowName: async (flowId) => (await flows.read(flowId).catch(() => undefined))?.name,
    });
    for (const path of await triggerStore.forgetInterruptedFiles()) {
      logger.info('watched file of an interrupted run will be taken again', { path });
    }
    const triggers = new TriggerManager({
      startRun: runs.startRun,
      store: triggerStore,
      dataFolder,
      clock,
      logger,
      ...(options.folderPollIntervalMs === undefined
        ? {}
        : { pollIntervalMs: options.folderPollIntervalMs }),
    });
    const context: ServiceContext = {
      db,
      flows,
      history,
      variables,
      credentials,
      accounts: new AccountStore(db),
      catalog,
      runs,
      triggers,
      triggerStore,
      dataFolder,
      evaluator: new ExpressionEvaluator(logger, options.evaluateTimeoutMs),
      logger,
      loginLimit: options.loginLimit ?? 10,
      loginWindowMs: options.loginWindowMs ?? 5 * 60 * 1000,
    };
    await pruneHistory(context, retention, clock);
    const setupToken = await prepareAdministrator(context, options.env ?? process.env);

    const app = createHttpApp(context, options.editorDist);
    const server = createServer(app);
    const sockets = attachLiveSocket(server, context, hub);
    await listen(server, options.port, host);
    const port = (server.address() as AddressInfo).port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    if (!isLoopback(host)) {
      logger.warn('listening on a non-loopback address; other machines can reach the service', {
        host,
      });
    }
    const stored = await flows.list((flowId, error) =>
      logger.error('stored flow is invalid; its triggers stay off', {
        flowId,
        error: (error as Error).message,
      }),
    );
    for (const flow of stored) {
      await triggerStore.removeScheduleMarks(flow.id, (flow.triggers ?? []).map(triggerKey));
      await triggers.setFlow(flow);
    }
    const pruneTimer = setInterval(() => {
      pruneHistory(context, retention, clock).catch((error: unknown) => {
        logger.error('run history pruning failed', { error: (error as Error).message });
      });
    }, PRUNE_INTERVAL_MS);
    pruneTimer.unref();
    logger.info('service started', { url, stateDir, dataDir: dataFolder.root });
    if (setupToken !== undefined) {
      // The link is the one way to create the first account, so it must reach the operator.
      logger.warn('no administrator account yet; open the setup link to create it', {
        setupLink: `${url}/setup?token=${setupToken}`,
        api: `POST ${API_PREFIX}/setup with {"token", "username", "password"}`,
      });
    }

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        logger.info('service stopping', { runningRuns: runs.runningCount() });
        clearInterval(pruneTimer);
        // The triggers stop at once, but wait for their runs, which runs.stop ends.
        const triggersStopped = triggers.stop();
        await runs.stop(options.shutdownGraceMs ?? 30_000);
        await triggersStopped;
        hub.close();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await context.evaluator.close();
        await db.destroy();
        logger.info('service stopped');
      })());
    return { url, app, port, context, hub, stop };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * Prunes the run history by the retention policy, then the processed-file entries of the runs it
 * removed whose file is gone or changed.
 */
async function pruneHistory(
  context: ServiceContext,
  retention: RetentionPolicy,
  clock: Clock,
): Promise<void> {
  const runs = await context.history.prune(retention, new Date(clock.now()));
  const files = await context.triggerStore.pruneProcessedFiles((file) =>
    isInPlace(context.dataFolder, file),
  );
  if (runs + files > 0) {
    context.logger.info('run history pruned', { deleted: runs, processedFiles: files });
  }
}

/** True when the file is still in the data folder with the same size and modification time. */
async function isInPlace(dataFolder: DataFolder, file: FileIdentity): Promise<boolean> {
  try {
    const info = await stat(await dataFolder.resolve(file.path, 'read'));
    return info.size === file.size && info.mtimeMs === file.mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Creates the administrator from KURYR_ADMIN_PASSWORD at the first start; without it, returns a
 * one-time setup token for the setup link. Returns undefined once an account exists.
 */
async function prepareAdministrator(
  context: ServiceContext,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  if (await context.accounts.hasUsers()) return undefined;
  const password = env[ADMIN_PASSWORD_VARIABLE];
  if (password) {
    await context.accounts.createUser('admin', password);
    context.logger.info('administrator account created', {
      user: 'admin',
      passwordFrom: ADMIN_PASSWORD_VARIABLE,
    });
    return undefined;
  }
  const token = randomToken();
  context.setupTokenHash = sha256(token);
  return token;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        new EnvironmentError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error.code}`, {
          hint:
            error.code === 'EADDRINUSE'
              ? 'Another program uses the port; pass another --port.'
              : 'Pass an address of this machine with --host.',
          cause: error,
        }),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** True for an address that only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
