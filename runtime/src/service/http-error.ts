import type { ErrorParams } from '@kuryr/nodes';
import type { FlowProblem } from '../flow/flow-problem.js';

/**
 * An error with its HTTP status, raised by route handlers; the error middleware turns it into
 * `{ error: { code, message, hint?, params?, problems? } }`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { hint?: string; params?: ErrorParams; problems?: readonly FlowProblem[] } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  static notFound(what: string, id: string): HttpError {
    return new HttpError(404, 'NOT_FOUND', `no ${what} "${id}"`, { params: { id } });
  }

  static badRequest(message: string, hint?: string): HttpError {
    return new HttpError(400, 'BAD_REQUEST', message, hint === undefined ? {} : { hint });
  }
}
