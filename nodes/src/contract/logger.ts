/** Structured fields added to a log line; never secrets or record contents. */
export type LogFields = Record<string, unknown>;

/**
 * The one logger interface of blocks and runtime. Messages are constant text and the variable
 * parts go in `fields`, so log lines can be searched and counted.
 */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  trace(message: string, fields?: LogFields): void;
  /** Returns a logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  trace() {},
  child() {
    return silentLogger;
  },
};
