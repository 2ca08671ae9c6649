import { parentPort, workerData } from 'node:worker_threads';
import {
  AbortedError,
  toKuryrError,
  type DataFolder,
  type LogFields,
  type Logger,
} from '@kuryr/nodes';
import { createCatalog } from '../catalog.js';
import { createCredentialAccess } from '../executor/credentials.js';
import { runFlow } from '../executor/executor.js';
import { reportError } from '../executor/run-report.js';
import { runTimedOutError } from '../executor/run-time-limit.js';
import { createDataFolder } from '../storage/data-folder.js';
import { openLazyLedger } from '../storage/lazy-ledger.js';
import type {
  LogLevelName,
  RunWorkerData,
  ToRunWorker,
  FromRunWorker,
} from './run-worker-messages.js';

// Runs the service's flows one at a time away from its event loop, so that a block stuck in one
// synchronous call (a regular expression that backtracks catastrophically) cannot stop the API,
// the triggers or other runs. The main thread enforces cancel and the maximum run time, and
// terminates this thread when a run does not stop in time; see worker-run.ts.

const port = parentPort!;
const setup = workerData as RunWorkerData;
const catalog = createCatalog();
const ledger = openLazyLedger(setup.stateDir);
const dataFolder = await createDataFolder(setup.dataDir, setup.stateDir);
let controller: AbortController | undefined;

const post = (message: FromRunWorker) => port.postMessage(message);

port.on('message', (message: ToRunWorker) => {
  if (message.type === 'abort') {
    const reason =
      message.maxRunSeconds === undefined
        ? new AbortedError(`the run was cancelled (${message.reason})`)
        : runTimedOutError(message.maxRunSeconds);
    controller?.abort(reason);
    return;
  }
  void run(message);
});

async function run(request: Extract<ToRunWorker, { type: 'run' }>): Promise<void> {
  const { flow, runId } = request;
  controller = new AbortController();
  try {
    const report = await runFlow({
      flow,
      catalog,
      variables: request.variables,
      dataFolder: announceWrites(dataFolder),
      tempParent: setup.tempParent,
      logger: createForwardingLogger({}),
      runId,
      signal: controller.signal,
      limitRunTime: false,
      credentials: createCredentialAccess(flow, async (name) => request.credentials[name]),
      ledger,
      sampleSize: request.sampleSize,
      onEvent: (event) => post({ type: 'event', event }),
    });
    post({ type: 'done', report });
  } catch (error) {
    post({ type: 'start-failed', error: reportError(toKuryrError(error)) });
  } finally {
    controller = undefined;
  }
}

/**
 * Wraps the data folder so that the main thread learns every path a run writes to, and can remove
 * the staged files beside them when it has to terminate this thread.
 */
function announceWrites(folder: DataFolder): DataFolder {
  return {
    root: folder.root,
    async resolve(path, purpose = 'read') {
      const resolved = await folder.resolve(path, purpose);
      if (purpose === 'write') post({ type: 'write-target', path: resolved });
      return resolved;
    },
  };
}

/** A logger that sends each line to the main thread, which writes it with the service's logger. */
function createForwardingLogger(bindings: LogFields): Logger {
  const write = (level: LogLevelName) => (message: string, fields?: LogFields) =>
    post({ type: 'log', level, message, fields: { ...bindings, ...fields } });
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    trace: write('trace'),
    child: (fields) => createForwardingLogger({ ...bindings, ...fields }),
  };
}
