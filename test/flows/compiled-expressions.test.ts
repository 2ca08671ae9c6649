import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExpressionEngine, type ExpressionPlan } from '@kuryr/nodes';
import { repositoryRoot } from '../support/kuryr.js';

type FlowFile = {
  blocks: { id: string; type: string; parameters: Record<string, unknown> }[];
};

/** The Map expressions, Filter conditions and expression parameters of every template flow. */
async function collectFlowExpressions() {
  const folder = join(repositoryRoot, 'flows');
  const files = (await readdir(folder)).filter((file) => file.endsWith('.json'));
  const found: { flow: string; block: string; parameter: string; source: string }[] = [];
  for (const file of files) {
    const flow = JSON.parse(await readFile(join(folder, file), 'utf8')) as FlowFile;
    for (const block of flow.blocks) {
      for (const [parameter, value] of Object.entries(block.parameters)) {
        const isRecordExpression =
          (block.type === 'transform.map' && parameter === 'expression') ||
          (block.type === 'transform.filter' && parameter === 'condition');
        const expression = (value as { expression?: unknown } | null)?.expression;
        if (isRecordExpression)
          found.push({ flow: file, block: block.id, parameter, source: String(value) });
        else if (typeof expression === 'string') {
          found.push({ flow: file, block: block.id, parameter, source: expression });
        }
      }
    }
  }
  return found;
}

describe('template flow expressions', () => {
  it('run compiled, not on the jsonata library', async () => {
    const expressions = await collectFlowExpressions();
    const plans: ExpressionPlan[] = [];
    const engine = createExpressionEngine({
      variables: {},
      runStartedAt: new Date(),
      onWarning: () => {},
      onPlan: (plan) => plans.push(plan),
    });

    expect(expressions.some((found) => found.parameter === 'expression')).toBe(true);
    expect(expressions.some((found) => found.parameter === 'condition')).toBe(true);
    for (const found of expressions) {
      const compiled = engine.compile(found.source, found.parameter);
      expect({ ...found, isCompiled: compiled.isCompiled }).toEqual({ ...found, isCompiled: true });
    }
    expect(plans.every((plan) => plan.isCompiled)).toBe(true);
  });
});
