import { parentPort, workerData } from 'node:worker_threads';
import { createExpressionEngine, toKuryrError } from '@kuryr/nodes';
import { reportError } from '../executor/run-report.js';
import type { EvaluateRequest } from './evaluate.js';

// Evaluates one editor expression away from the service's event loop; see evaluate.ts.
const request = workerData as EvaluateRequest;
const warnings: string[] = [];
const engine = createExpressionEngine({
  variables: request.variables,
  runStartedAt: new Date(request.runStartedAt),
  onWarning: (message) => warnings.push(message),
});
try {
  const result = await engine.compile(request.expression, 'expression').evaluate(request.record);
  // Sent as JSON text, the form the response takes anyway, because structured cloning would
  // reject a function in the result.
  parentPort?.postMessage(
    JSON.stringify({ result: result === undefined ? null : result, warnings }),
  );
} catch (error) {
  parentPort?.postMessage(JSON.stringify({ error: reportError(toKuryrError(error)), warnings }));
}
