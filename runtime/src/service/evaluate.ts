import { Worker } from 'node:worker_threads';
import { FlowAuthorError, toKuryrError, type Logger } from '@kuryr/nodes';
import { reportError, type ErrorReport } from '../executor/run-report.js';

export type EvaluateRequest = {
  expression: string;
  record: unknown;
  variables: Record<string, string>;
  runStartedAt: string;
};

export type EvaluateAnswer =
  { result: unknown; warnings: string[] } | { error: ErrorReport; warnings: string[] };

/** How long an editor expression may run before its worker is terminated. */
export const EVALUATE_TIMEOUT_MS = 5000;

/** Requests that may wait for the worker; more are rejected until it catches up. */
const MAX_WAITING = 100;

type Pending = {
  request: EvaluateRequest;
  resolve(answer: EvaluateAnswer): void;
  reject(error: unknown): void;
};

/**
 * Evaluates editor expressions in one warm worker thread, one request at a time, and terminates
 * and replaces the worker when an expression runs longer than `timeoutMs`. A regular expression
 * with nested repetition, such as `$match(s, /(a+)+$/)`, runs in one synchronous call whose time
 * doubles with each added character. On the service's own thread it would stop every request.
 * Starting a worker per request took about 230 ms on a shared 2-core machine (an estimate from
 * 20 runs), so the worker is kept.
 */
export class ExpressionEvaluator {
  private worker: Worker | undefined;
  private readonly waiting: Pending[] = [];
  private current: { pending: Pending; timer: NodeJS.Timeout; worker: Worker } | undefined;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = EVALUATE_TIMEOUT_MS,
  ) {}

  evaluate(request: EvaluateRequest): Promise<EvaluateAnswer> {
    if (this.closed) return Promise.reject(new Error('the expression evaluator is closed'));
    if (this.waiting.length >= MAX_WAITING) {
      const busy = new FlowAuthorError(
        'EXPRESSION_QUEUE_FULL',
        `${MAX_WAITING} expressions wait for evaluation already`,
        { hint: 'Try again when the earlier ones have finished.' },
      );
      return Promise.resolve({ error: reportError(busy), warnings: [] });
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.next();
    });
  }

  /** Terminates the worker; waiting requests are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) {
      pending.reject(new Error('the service is stopping'));
    }
    await this.worker?.terminate();
  }

  /** Sends the next waiting request to the worker when it is free. */
  private next(): void {
    if (this.current !== undefined) return;
    const pending = this.waiting.shift();
    if (pending === undefined) return;
    const worker = (this.worker ??= this.spawn());
    const timer = setTimeout(() => this.timeOut(), this.timeoutMs);
    this.current = { pending, timer, worker };
    worker.postMessage(pending.request);
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./evaluate-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    // An idle worker must not keep the process alive.
    worker.unref();
    this.logger.info('expression worker started', { threadId: worker.threadId });
    worker.on('message', (answer: string) =>
      this.settle(worker, (pending) => pending.resolve(JSON.parse(answer) as EvaluateAnswer)),
    );
    worker.on('error', (error) => {
      this.logger.error('expression worker failed', { error: toKuryrError(error).message });
    });
    worker.once('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      // A worker that ended while it evaluated, e.g. out of memory, fails that request.
      this.settle(worker, (pending) =>
        pending.reject(new Error(`the expression worker stopped with exit code ${code}`)),
      );
    });
    return worker;
  }

  /** Ends the current request, when `worker` serves it, and starts the next one. */
  private settle(worker: Worker, end: (pending: Pending) => void): void {
    const current = this.current;
    if (current === undefined || current.worker !== worker) return;
    clearTimeout(current.timer);
    this.current = undefined;
    end(current.pending);
    if (!this.closed) this.next();
  }

  private timeOut(): void {
    const worker = this.current!.worker;
    this.worker = undefined;
    const timeout = new FlowAuthorError(
      'EXPRESSION_TIMEOUT',
      `the expression timed out after ${this.timeoutMs / 1000} s and was stopped`,
      {
        hint: 'A regular expression with nested repetition, such as /(a+)+$/, can take exponentially long; simplify it.',
      },
    );
    this.settle(worker, (pending) =>
      pending.resolve({ error: reportError(timeout), warnings: [] }),
    );
    void worker.terminate();
  }
}
