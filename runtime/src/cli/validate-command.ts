import { createCatalog } from '../catalog.js';
import { loadFlowFile } from '../flow/load-flow.js';
import { InvalidFlowError, formatProblem } from '../flow/flow-problem.js';
import { validateFlow } from '../flow/validate-flow.js';
import { ExitCode } from './exit-codes.js';
import { resolveArgumentPath } from './paths.js';

/** `kuryr validate FLOW_FILE`: lists every problem of a flow without running it. */
export async function validateCommand(
  flowFile: string,
  values: Record<string, unknown>,
): Promise<number> {
  const path = resolveArgumentPath(flowFile);
  let problems;
  try {
    problems = validateFlow(await loadFlowFile(path), createCatalog());
  } catch (error) {
    if (!(error instanceof InvalidFlowError)) throw error;
    problems = error.problems;
  }

  if (values.json === true) {
    process.stdout.write(
      JSON.stringify({ file: path, valid: problems.length === 0, problems }, null, 2) + '\n',
    );
  } else if (problems.length === 0) {
    process.stdout.write(`${flowFile} is valid.\n`);
  } else {
    process.stderr.write(`error: invalid flow ${flowFile}:\n`);
    for (const problem of problems) process.stderr.write(`  - ${formatProblem(problem)}\n`);
  }
  return problems.length === 0 ? ExitCode.succeeded : ExitCode.usage;
}
