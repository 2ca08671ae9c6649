/**
 * Who must act on an error decides its class: the flow author (bad settings or data), the
 * environment (a server down, a timeout, so a retry may help) or the developers (a bug).
 */
export type ErrorContext = {
  flow?: string;
  block?: string;
  blockType?: string;
  parameter?: string;
  /** 1-based number of the record in the block's input or file. */
  record?: number;
  file?: string;
  /** Byte offset in `file`. */
  offset?: number;
  /** 1-based line of `file` where the text in question starts; unlike `record`, counts every line. */
  line?: number;
  field?: string;
};

/**
 * Values (JSON: strings, numbers, lists of names) that the message was built from, so that a client
 * can word the error in its own language.
 */
export type ErrorParams = Readonly<Record<string, unknown>>;

export type KuryrErrorOptions = {
  hint?: string;
  params?: ErrorParams;
  cause?: unknown;
  context?: ErrorContext;
  /**
   * True when trying the same operation again may succeed (a refused connection, HTTP 503, a
   * timeout). Only such errors are retried by `context.network.call`; default false.
   */
  retryable?: boolean;
};

/** Base of every error Kurýr raises on purpose; carries a stable code and a hint. */
export class KuryrError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  /** Whether a network call that threw this error is worth retrying; see KuryrErrorOptions. */
  readonly retryable: boolean;
  /** Values the message was built from, when the raiser passed them; see ErrorParams. */
  readonly params: ErrorParams | undefined;
  context: ErrorContext;
  /** The record (or file description) the error is about, when there is one. */
  item: unknown;

  constructor(code: string, message: string, options: KuryrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.params = options.params;
    this.context = { ...options.context };
  }

  /** Adds context that the raiser did not know, keeping what it set. */
  withContext(context: ErrorContext): this {
    this.context = { ...context, ...this.context };
    return this;
  }
}

/** Bad configuration or bad data: the flow author must change the flow or its input. */
export class FlowAuthorError extends KuryrError {}

/** A remote server, disk or timeout failed: retrying later may help. */
export class EnvironmentError extends KuryrError {}

/** A bug in Kurýr itself. */
export class InternalError extends KuryrError {}

/** The run was cancelled or aborted because another block failed. */
export class AbortedError extends KuryrError {
  constructor(message = 'the run was aborted') {
    super('RUN_ABORTED', message);
  }
}

/** Wraps anything thrown into a KuryrError, keeping the original as the cause. */
export function toKuryrError(error: unknown): KuryrError {
  if (error instanceof KuryrError) return error;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      return new EnvironmentError(code, error.message, { cause: error });
    }
    return new InternalError('INTERNAL', error.message, { cause: error });
  }
  return new InternalError('INTERNAL', String(error));
}
