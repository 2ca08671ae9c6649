import {
  ERROR_PORT,
  KuryrError,
  findVariableReferences,
  parameterMeta,
  type BlockDefinition,
  type PortSpec,
} from '@kuryr/nodes';
import type { BlockCatalog } from '../catalog.js';
import { isExpressionValue, type Flow, type FlowBlock } from './flow-schema.js';
import type { FlowProblem } from './flow-problem.js';
import { validateTriggers } from './validate-triggers.js';

/** The implicit error output of every block: records describing its failures. */
export const errorPortSpec: PortSpec = { name: ERROR_PORT, kind: 'records', label: 'Errors' };

export type ValidateOptions = {
  /**
   * Report JSONata syntax errors (default true). The executor turns this off: an invalid
   * expression then fails its block when the run starts, as a run failure naming the block.
   */
  checkExpressionSyntax?: boolean;
};

/**
 * Checks a parsed flow against the block catalogue and returns every problem at once: unknown
 * block types, invalid or missing parameters, invalid expressions, undeclared variables, wires
 * between missing or incompatible ports, cycles, and invalid triggers (cron expressions, time
 * zones, watched folders).
 */
export function validateFlow(
  flow: Flow,
  catalog: BlockCatalog,
  options: ValidateOptions = {},
): FlowProblem[] {
  const checkSyntax = options.checkExpressionSyntax ?? true;
  const problems: FlowProblem[] = [];
  const seen = new Set<string>();
  for (const block of flow.blocks) {
    if (seen.has(block.id))
      problems.push({ block: block.id, code: 'BLOCK_ID_DUPLICATE', message: 'duplicate block id' });
    seen.add(block.id);
    const definition = catalog.get(block.type);
    if (definition === undefined) {
      problems.push({
        block: block.id,
        field: 'type',
        code: 'BLOCK_TYPE_UNKNOWN',
        params: { type: block.type },
        message: `unknown block type "${block.type}"`,
      });
      continue;
    }
    if (block.version > definition.version) {
      problems.push({
        block: block.id,
        field: 'version',
        code: 'BLOCK_VERSION_NEWER',
        params: { type: block.type, version: block.version, known: definition.version },
        message: `version ${block.version} of ${block.type} is newer than this Kurýr knows (${definition.version}); update Kurýr`,
      });
      continue;
    }
    problems.push(...checkParameters(flow, block, definition, checkSyntax));
  }
  problems.push(...checkWires(flow, catalog));
  problems.push(...findUnwiredInputs(flow, catalog));
  problems.push(...findCycles(flow));
  problems.push(...validateTriggers(flow));
  return problems;
}

function checkParameters(
  flow: Flow,
  block: FlowBlock,
  definition: BlockDefinition,
  checkSyntax: boolean,
): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const literals: Record<string, unknown> = {};
  const expressionNames: Record<string, true> = {};
  const declared = new Set(Object.keys(flow.variables));
  const checkVariables = (source: string, name: string) => {
    for (const variable of findVariableReferences(source, name)) {
      if (declared.has(variable)) continue;
      problems.push({
        block: block.id,
        field: `parameter "${name}"`,
        code: 'VARIABLE_UNDECLARED',
        params: { variable },
        message: `uses the undeclared variable $vars.${variable}; declare it in the flow's variables`,
      });
    }
  };

  for (const [name, value] of Object.entries(block.parameters)) {
    const meta = parameterMeta(definition, name);
    try {
      if (isExpressionValue(value)) {
        expressionNames[name] = true;
        if (meta !== undefined && meta.expression !== true) {
          problems.push({
            block: block.id,
            field: `parameter "${name}"`,
            code: 'PARAMETER_NOT_EXPRESSION',
            message: 'this parameter cannot be an expression',
          });
        }
        checkVariables(value.expression, name);
        continue;
      }
      if (meta?.widget === 'jsonata' && typeof value === 'string') checkVariables(value, name);
    } catch (error) {
      if (!(error instanceof KuryrError)) throw error;
      const deferred = !checkSyntax && error.code === 'EXPRESSION_INVALID';
      if (!deferred) {
        problems.push({
          block: block.id,
          field: `parameter "${name}"`,
          code: error.code,
          ...(error.params === undefined ? {} : { params: error.params }),
          message: error.message,
        });
      }
      if (isExpressionValue(value)) continue;
    }
    literals[name] = value;
  }

  for (const problem of definition.checkParameters?.(block.parameters) ?? []) {
    problems.push({
      block: block.id,
      field: `parameter "${problem.parameter}"`,
      message: problem.message,
    });
  }
  const schema = definition.parameters.partial(expressionNames).strict();
  const parsed = schema.safeParse(literals);
  if (parsed.success) return problems;
  for (const issue of parsed.error.issues) {
    const name = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          block: block.id,
          field: `parameter "${key}"`,
          code: 'PARAMETER_UNKNOWN',
          message: 'unknown parameter',
        });
      }
      continue;
    }
    const missing =
      issue.code === 'invalid_type' && literals[issue.path[0] as string] === undefined;
    problems.push({
      block: block.id,
      field: `parameter "${name}"`,
      ...(missing ? { code: 'PARAMETER_MISSING' } : {}),
      message: missing ? 'missing required parameter' : issue.message,
    });
  }
  return problems;
}

/** Finds a port of a block, including the implicit error output. */
export function findPort(
  definition: BlockDefinition,
  direction: 'input' | 'output',
  name: string,
): PortSpec | undefined {
  if (direction === 'input') return definition.inputs.find((port) => port.name === name);
  if (name === ERROR_PORT) return errorPortSpec;
  return definition.outputs.find((port) => port.name === name);
}

function checkWires(flow: Flow, catalog: BlockCatalog): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const blocks = new Map(flow.blocks.map((block) => [block.id, block]));
  const seen = new Set<string>();
  flow.wires.forEach((wire, index) => {
    const key = `${wire.from.block}.${wire.from.port} → ${wire.to.block}.${wire.to.port}`;
    const field = `wire ${index + 1} (${key})`;
    if (seen.has(key)) {
      problems.push({
        field,
        code: 'WIRE_DUPLICATE',
        message: 'the same wire appears twice, so every item would arrive twice',
      });
    }
    seen.add(key);
    const ends = [
      { end: wire.from, direction: 'output' as const },
      { end: wire.to, direction: 'input' as const },
    ].map(({ end, direction }) => {
      const block = blocks.get(end.block);
      if (block === undefined) {
        problems.push({
          field,
          code: 'WIRE_BLOCK_UNKNOWN',
          params: { block: end.block },
          message: `no block with id "${end.block}"`,
        });
        return undefined;
      }
      const definition = catalog.get(block.type);
      if (definition === undefined) return undefined;
      const port = findPort(definition, direction, end.port);
      if (port === undefined) {
        const known = (direction === 'input' ? definition.inputs : definition.outputs)
          .map((candidate) => candidate.name)
          .join(', ');
        problems.push({
          block: end.block,
          field,
          code: 'WIRE_PORT_UNKNOWN',
          params: { type: block.type, direction, port: end.port, ports: known },
          message: `block type ${block.type} has no ${direction} port "${end.port}" (ports: ${known || 'none'})`,
        });
      }
      return port;
    });
    const [from, to] = ends;
    if (from !== undefined && to !== undefined && from.kind !== to.kind) {
      problems.push({
        block: wire.to.block,
        field,
        code: 'WIRE_INCOMPATIBLE',
        params: { from: from.kind, to: to.kind },
        message: `joins incompatible ports: ${from.kind} cannot flow into a ${to.kind} input`,
      });
    }
  });
  return problems;
}

function findUnwiredInputs(flow: Flow, catalog: BlockCatalog): FlowProblem[] {
  const wired = new Set(flow.wires.map((wire) => `${wire.to.block}.${wire.to.port}`));
  return flow.blocks.flatMap((block) =>
    (catalog.get(block.type)?.inputs ?? [])
      .filter((port) => port.optional !== true && !wired.has(`${block.id}.${port.name}`))
      .map((port) => ({
        block: block.id,
        field: `input "${port.name}"`,
        code: 'INPUT_NOT_WIRED',
        message: 'nothing is wired to this input, so the block would receive nothing',
      })),
  );
}

function findCycles(flow: Flow): FlowProblem[] {
  const next = new Map<string, string[]>();
  for (const wire of flow.wires) {
    next.set(wire.from.block, [...(next.get(wire.from.block) ?? []), wire.to.block]);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: FlowProblem[] = [];
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      problems.push({
        block: id,
        code: 'WIRES_CYCLE',
        params: { cycle: cycle.join(' → ') },
        message: `wires form a cycle: ${cycle.join(' → ')}`,
      });
      return;
    }
    state.set(id, 'visiting');
    for (const target of next.get(id) ?? []) visit(target, [...path, id]);
    state.set(id, 'done');
  };
  for (const block of flow.blocks) visit(block.id, []);
  return problems;
}
