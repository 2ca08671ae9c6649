import type { Logger as PinoLogger } from 'pino';
import { silentLogger, type LogFields, type Logger } from '@kuryr/nodes';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export const logLevels: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug', 'trace'];

/**
 * Creates a logger writing JSON lines (pino) to `destination`, default stderr, or readable lines
 * when it is a terminal. pino is loaded only when something is logged, because it adds several
 * megabytes of memory to every run.
 */
export async function createLogger(
  level: LogLevel,
  destination: NodeJS.WritableStream = process.stderr,
): Promise<Logger> {
  if (level === 'silent') return silentLogger;
  const { pino } = await import('pino');
  if ((destination as NodeJS.WriteStream).isTTY === true) {
    // A person reads a terminal: pino-pretty writes the same fields as readable lines.
    const { default: pretty } = await import('pino-pretty');
    return wrap(pino({ level, base: undefined }, pretty({ destination })));
  }
  return wrap(pino({ level, base: undefined }, destination));
}

function wrap(target: PinoLogger): Logger {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, fields?: LogFields) =>
      fields === undefined ? target[level](message) : target[level](fields, message);
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    trace: write('trace'),
    child: (fields) => wrap(target.child(fields)),
  };
}
