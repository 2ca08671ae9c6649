import { mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createCatalog } from '../catalog.js';
import { createFileCredentialStore } from '../credentials/file-credential-store.js';
import { runFlow } from '../executor/executor.js';
import { loadFlowFile } from '../flow/load-flow.js';
import { resolveVariables } from '../flow/variables.js';
import { createLogger, logLevels, type LogLevel } from '../logging/logger.js';
import { createDataFolder, isInside } from '../storage/data-folder.js';
import { openLazyLedger } from '../storage/lazy-ledger.js';
import { removeAbandonedTempAreas } from '../storage/temp-area.js';
import { UsageError, exitCodeOf } from './exit-codes.js';
import { defaultStateDir, invocationFolder, resolveArgumentPath } from './paths.js';
import { ProgressView } from './progress.js';
import { formatError, formatSummary, toJsonSummary } from './summary.js';

/** `kuryr run FLOW_FILE`: runs a flow to completion and returns the exit code. */
export async function runCommand(
  flowFile: string,
  values: Record<string, unknown>,
): Promise<number> {
  const given = parseVariableArguments((values.var as string[] | undefined) ?? []);
  const logLevel = parseLogLevel(values['log-level']);
  const dataDir = resolveArgumentPath(
    (values['data-dir'] as string | undefined) ?? invocationFolder(),
  );
  const stateDir = resolveArgumentPath(
    (values['state-dir'] as string | undefined) ?? defaultStateDir(),
  );
  await checkFolders(dataDir, stateDir);

  const flow = await loadFlowFile(resolveArgumentPath(flowFile));
  const variables = resolveVariables(flow, given);
  const credentialsFile = values.credentials as string | undefined;
  const credentials = await createFileCredentialStore(
    credentialsFile === undefined ? undefined : resolveArgumentPath(credentialsFile),
  );
  await createStateFolder(stateDir);
  const tempParent = join(stateDir, 'tmp');
  await removeAbandonedTempAreas(tempParent);
  const dataFolder = await createDataFolder(dataDir, stateDir);
  const progress = new ProgressView(flow);
  const controller = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => controller.abort(signal);
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const ledger = openLazyLedger(stateDir);
  let report;
  try {
    report = await runFlow({
      flow,
      catalog: createCatalog(),
      variables,
      dataFolder,
      tempParent,
      logger: await createLogger(logLevel),
      onEvent: (event) => progress.handle(event),
      signal: controller.signal,
      credentials,
      ledger,
    });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await ledger.close();
  }

  const exitCode = exitCodeOf(report.status);
  if (report.error !== undefined)
    process.stderr.write(formatError(report.error, report.blocks) + '\n');
  if (values.json === true) {
    process.stdout.write(
      JSON.stringify(toJsonSummary(report, exitCode, dataFolder.root), null, 2) + '\n',
    );
  } else {
    process.stdout.write(formatSummary(report, dataFolder.root));
  }
  return exitCode;
}

function parseVariableArguments(pairs: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--var expects NAME=VALUE, got "${pair}"`);
    const name = pair.slice(0, equals);
    if (Object.hasOwn(variables, name)) throw new UsageError(`--var ${name} is given twice`);
    variables[name] = pair.slice(equals + 1);
  }
  return variables;
}

export async function createStateFolder(stateDir: string): Promise<void> {
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      `cannot create the state folder ${stateDir} (${reason}); pass --state-dir with a folder you can write`,
    );
  }
}

export function parseLogLevel(value: unknown, fallback: LogLevel = 'silent'): LogLevel {
  if (value === undefined) return fallback;
  if (logLevels.includes(value as LogLevel)) return value as LogLevel;
  throw new UsageError(
    `--log-level must be one of ${logLevels.join(', ')}, got "${String(value)}"`,
  );
}

/** Checks that the data folder exists and that it and the state folder lie apart. */
export async function checkFolders(dataDir: string, stateDir: string): Promise<void> {
  const info = await stat(dataDir).catch(() => undefined);
  if (info === undefined) {
    throw new UsageError(
      `the data folder ${dataDir} does not exist; create it or pass another --data-dir`,
    );
  }
  if (!info.isDirectory()) throw new UsageError(`--data-dir ${dataDir} is not a folder`);

  const stateInfo = await stat(stateDir).catch(() => undefined);
  if (stateInfo !== undefined && !stateInfo.isDirectory()) {
    throw new UsageError(`--state-dir ${stateDir} is not a folder`);
  }
  // Real paths, so that a symbolic link cannot hide one folder inside the other.
  const realData = await realpath(dataDir);
  const realState = stateInfo === undefined ? stateDir : await realpath(stateDir);
  if (isInside(realState, realData)) {
    throw new UsageError(
      `the data folder ${dataDir} lies inside the state folder ${stateDir}; choose folders apart`,
    );
  }
}
