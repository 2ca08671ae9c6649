import { startService } from '../service/service.js';
import { createLogger } from '../logging/logger.js';
import { defaultEditorDist } from '../service/service.js';
import { DEFAULT_MAX_CONCURRENT_RUNS } from '../service/run-manager.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { defaultStateDir, invocationFolder, resolveArgumentPath } from './paths.js';
import { checkFolders, createStateFolder, parseLogLevel } from './run-command.js';

const DEFAULT_PORT = 4680;

/** `kuryr start`: runs the service until SIGTERM or SIGINT; returns the exit code. */
export async function startCommand(values: Record<string, unknown>): Promise<number> {
  const port = wholeNumber(values.port, '--port', DEFAULT_PORT, 0, 65535);
  const logLevel = parseLogLevel(values['log-level'], 'info');
  if (logLevel === 'silent') throw new UsageError('--log-level silent would hide the setup link');
  const dataDir = resolveArgumentPath(
    (values['data-dir'] as string | undefined) ?? invocationFolder(),
  );
  const stateDir = resolveArgumentPath(
    (values['state-dir'] as string | undefined) ?? defaultStateDir(),
  );
  await checkFolders(dataDir, stateDir);
  await createStateFolder(stateDir);
  const logger = await createLogger(logLevel, process.stdout);

  let service;
  try {
    service = await startService({
      host: (values.host as string | undefined) ?? '127.0.0.1',
      port,
      stateDir,
      dataDir,
      logger,
      retention: {
        maxAgeDays: wholeNumber(values['keep-runs-days'], '--keep-runs-days', 30, 1),
        maxRunsPerFlow: wholeNumber(values['keep-runs'], '--keep-runs', 200, 1),
      },
      shutdownGraceMs: wholeNumber(values['grace-seconds'], '--grace-seconds', 30, 0) * 1000,
      ...(values['run-heap-limit'] === undefined
        ? {}
        : { runHeapLimitMb: wholeNumber(values['run-heap-limit'], '--run-heap-limit', 0, 64) }),
      maxConcurrentRuns: wholeNumber(
        values['max-concurrent-runs'],
        '--max-concurrent-runs',
        DEFAULT_MAX_CONCURRENT_RUNS,
        1,
        1000,
      ),
      editorDist: defaultEditorDist,
    });
  } catch (error) {
    logger.error('service could not start', { error: (error as Error).message });
    throw error;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info('stop requested', { signal });
  await service.stop();
  return ExitCode.succeeded;
}

function wholeNumber(
  value: unknown,
  option: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(
      `${option} must be a whole number from ${min} to ${max}, got "${String(value)}"`,
    );
  }
  return number;
}
