import { createExpressionEngine, toKuryrError } from '@kuryr/nodes';
import { reportError } from '../executor/run-report.js';
import type { EvaluateRequest } from './evaluate.js';

// Evaluates editor expressions in a child process of the service, one message at a time; see
// evaluate.ts.
process.on('message', (request: EvaluateRequest) => {
  void evaluate(request).then((answer) => process.send?.(answer));
});
// The channel closes when the service stops or dies, so the worker exits instead of staying behind.
process.on('disconnect', () => process.exit(0));

/** Returns the result as JSON text, which keeps a function result from failing the message. */
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
