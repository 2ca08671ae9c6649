import { parentPort } from 'node:worker_threads';
import { createExpressionEngine, toKuryrError } from '@kuryr/nodes';
import { reportError } from '../executor/run-report.js';
import type { EvaluateRequest } from './evaluate.js';

// Evaluates editor expressions away from the service's event loop, one message at a time; see
// evaluate.ts.
parentPort?.on('message', (request: EvaluateRequest) => {
  void evaluate(request).then((answer) => parentPort?.postMessage(answer));
});

/** Returns the result as JSON text, because structured cloning would reject a function result. */
async function evaluate(request: EvaluateRequest): Promise<string> {
  const warnings: string[] = [];
  const engine = createExpressionEngine({
    variables: request.variables,
    runStartedAt: new Date(request.runStartedAt),
    onWarning: (message) => warnings.push(message),
  });
  try {
    const result = await engine.compile(request.expression, 'expression').evaluate(request.record);
    return JSON.stringify({ result: result === undefined ? null : result, warnings });
  } catch (error) {
    return JSON.stringify({ error: reportError(toKuryrError(error)), warnings });
  }
}
