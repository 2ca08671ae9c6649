import {
  FlowAuthorError,
  KuryrError,
  type BlockDefinition,
  type ExpressionEngine,
} from '@kuryr/nodes';
import { isExpressionValue, type FlowBlock } from '../flow/flow-schema.js';

/**
 * Computes a block's parameters for one run: evaluates expression values (with no input record),
 * upgrades parameters saved by an older block version, then applies the schema's defaults.
 */
export async function resolveParameters(
  block: FlowBlock,
  definition: BlockDefinition,
  expressions: ExpressionEngine,
): Promise<unknown> {
  let values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(block.parameters)) {
    if (!isExpressionValue(value)) {
      values[name] = value;
      continue;
    }
    values[name] = await expressions.compile(value.expression, name).evaluate({});
  }
  const sourceOf = (name: string) => {
    const value = block.parameters[name];
    return isExpressionValue(value) ? ` from the expression ${value.expression}` : '';
  };
  if (block.version < definition.version && definition.migrate !== undefined) {
    values = definition.migrate(values, block.version);
  }

  const parsed = definition.parameters.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = issue.path.map(String).join('.');
  const value = JSON.stringify(values[String(issue.path[0])]) ?? 'nothing';
  throw new FlowAuthorError(
    'PARAMETER_INVALID',
    `parameter "${name}" is invalid: ${issue.message} (value ${value}${sourceOf(String(issue.path[0]))})`,
    {
      hint: 'Correct the parameter or the variable it is computed from.',
      context: { parameter: name },
    },
  );
}

/** Adds the block to an error's context, keeping what the raiser set. */
export function withBlockContext(error: KuryrError, block: FlowBlock): KuryrError {
  return error.withContext({ block: block.id, blockType: block.type });
}
