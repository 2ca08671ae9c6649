import { pino, type Logger as PinoLogger } from 'pino';
import type { LogFields, Logger } from '@kuryr/nodes';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export const logLevels: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug', 'trace'];

/** Creates a logger writing JSON lines (pino) to `destination`, default stderr. */
export function createLogger(
  level: LogLevel,
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
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
