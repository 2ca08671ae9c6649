import { Worker } from 'node:worker_threads';
import { FlowAuthorError } from '@kuryr/nodes';
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

/**
 * Evaluates an editor expression in a worker thread and terminates the worker after `timeoutMs`.
 * A regular expression with nested repetition, such as `$match(s, /(a+)+$/)`, runs in one
 * synchronous call whose time doubles with each added character. On the service's own thread it
 * would stop every request.
 */
export function evaluateInWorker(
  request: EvaluateRequest,
  timeoutMs = EVALUATE_TIMEOUT_MS,
): Promise<EvaluateAnswer> {
  // TODO: a worker starts per request, about 230 ms on a shared 2-core machine (estimate from 20
  // runs). A warm worker reused until it times out would make the preview faster.
  const worker = new Worker(new URL('./evaluate-worker.js', import.meta.url), {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const timeout = new FlowAuthorError(
        'EXPRESSION_TIMEOUT',
        `the expression timed out after ${timeoutMs / 1000} s and was stopped`,
        {
          hint: 'A regular expression with nested repetition, such as /(a+)+$/, can take exponentially long; simplify it.',
        },
      );
      resolve({ error: reportError(timeout), warnings: [] });
      void worker.terminate();
    }, timeoutMs);
    worker.once('message', (answer: string) => {
      clearTimeout(timer);
      resolve(JSON.parse(answer) as EvaluateAnswer);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      // Settles nothing when the answer or the timeout came first.
      reject(new Error(`the expression worker stopped with exit code ${code}`));
    });
  });
}
