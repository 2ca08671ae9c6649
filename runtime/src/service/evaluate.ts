import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

/** Old-generation heap of the expression worker in MB. */
const HEAP_LIMIT_MB = 256;

type Pending = {
  request: EvaluateRequest;
  resolve(answer: EvaluateAnswer): void;
  reject(error: unknown): void;
};

/**
 * Evaluates editor expressions in one warm worker process, one request at a time, and kills and
 * replaces the worker when an expression runs longer than `timeoutMs` or exhausts its heap. A
 * regular expression with nested repetition, such as `$match(s, /(a+)+$/)`, runs in one synchronous
 * call whose time doubles with each added character. On the service's own thread it would stop
 * every request. The worker is a child process, not a worker thread, because Node.js (checked on
 * 20.20) aborts the whole process when a worker thread grows one array past its heap limit, as
 * `[1..10000000].[1..10000000]` does. Starting a worker per request took about 230 ms on a shared
 * 2-core machine (an estimate from 20 runs, measured with worker threads), so the worker is kept.
 */
export class ExpressionEvaluator {
  private worker: ChildProcess | undefined;
  private readonly waiting: Pending[] = [];
  private current: { pending: Pending; timer: NodeJS.Timeout; worker: ChildProcess } | undefined;
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

  /** Kills the worker; waiting requests are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) {
      pending.reject(new Error('the service is stopping'));
    }
    const worker = this.worker;
    if (worker === undefined || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
  }

  /** Sends the next waiting request to the worker when it is free. */
  private next(): void {
    if (this.current !== undefined) return;
    const pending = this.waiting.shift();
    if (pending === undefined) return;
    const worker = (this.worker ??= this.spawn());
    const timer = setTimeout(() => this.timeOut(), this.timeoutMs);
    this.current = { pending, timer, worker };
    worker.send(pending.request);
  }

  private spawn(): ChildProcess {
    const worker = fork(fileURLToPath(new URL('./evaluate-worker.js', import.meta.url)), [], {
      execArgv: [`--max-old-space-size=${HEAP_LIMIT_MB}`],
      // V8 prints its out-of-memory report on stderr; the exit below logs the failure instead.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    // An idle worker must not keep the process alive.
    worker.unref();
    worker.channel?.unref();
    this.logger.info('expression worker started', { pid: worker.pid });
    worker.on('message', (answer: string) =>
      this.settle(worker, (pending) => pending.resolve(JSON.parse(answer) as EvaluateAnswer)),
    );
    worker.on('error', (error) => {
      this.logger.error('expression worker failed', { error: toKuryrError(error).message });
    });
    worker.once('exit', (code, signal) => {
      if (this.worker === worker) this.worker = undefined;
      // A worker that ended while it evaluated fails that request. V8 ends a process whose heap
      // is full with SIGABRT.
      this.settle(worker, (pending) => {
        this.logger.error('expression worker stopped while it evaluated', { code, signal });
        if (signal !== 'SIGABRT') {
          pending.reject(new Error(`the expression worker stopped with ${signal ?? code}`));
          return;
        }
        const outOfMemory = new FlowAuthorError(
          'EXPRESSION_OUT_OF_MEMORY',
          `the expression ran out of memory (limit ${HEAP_LIMIT_MB} MB) and was stopped`,
          {
            hint: 'Ranges and paths over ranges build every item; try the expression on smaller ranges.',
          },
        );
        pending.resolve({ error: reportError(outOfMemory), warnings: [] });
      });
    });
    return worker;
  }

  /** Ends the current request, when `worker` serves it, and starts the next one. */
  private settle(worker: ChildProcess, end: (pending: Pending) => void): void {
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
    worker.kill('SIGKILL');
  }
}
