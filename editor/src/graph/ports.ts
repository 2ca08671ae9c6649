import type { CatalogBlock, PortKind, PortSpec } from '../api/types.js';

/** Name of the output every block has implicitly; its failures leave there as records. */
export const ERROR_PORT = 'error';

/** The implicit error output, as the editor draws it. */
export const errorPortSpec: PortSpec = { name: ERROR_PORT, kind: 'records', label: 'error' };

/** Returns the outputs of a block type with the implicit error port last. */
export function outputPorts(block: CatalogBlock): readonly PortSpec[] {
  if (block.outputs.some((port) => port.name === ERROR_PORT)) return block.outputs;
  return [...block.outputs, errorPortSpec];
}

/** A proposed wire, in React Flow's terms: source and target block ids and port names. */
export type WireCandidate = {
  source: string;
  sourceHandle: string | null | undefined;
  target: string;
  targetHandle: string | null | undefined;
};

/** Why a wire was rejected: an i18n message key and its placeholders. */
export type WireRejection = { key: WireRejectionKey; params: Record<string, string> };

export type WireRejectionKey =
  'wire.sameBlock' | 'wire.unknownPort' | 'wire.kindMismatch' | 'wire.cycle' | 'wire.duplicate';

type GraphView = {
  blockType(blockId: string): CatalogBlock | undefined;
  wires: readonly {
    source: string;
    target: string;
    sourceHandle?: string | null;
    targetHandle?: string | null;
  }[];
};

function findPort(
  ports: readonly PortSpec[],
  name: string | null | undefined,
): PortSpec | undefined {
  return ports.find((port) => port.name === name);
}

/** Returns whether `to` can reach `from` along the wires, so a wire from→to would close a cycle. */
export function closesCycle(wires: GraphView['wires'], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const wire of wires) next.set(wire.source, [...(next.get(wire.source) ?? []), wire.target]);
  const stack = [to];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (current === from) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...(next.get(current) ?? []));
  }
  return false;
}

/**
 * Checks a proposed wire: both ports exist, carry the same kind of item, the wire is new and
 * it closes no cycle. Returns the reason for a rejection, or undefined when the wire is valid.
 */
export function checkWire(graph: GraphView, wire: WireCandidate): WireRejection | undefined {
  if (wire.source === wire.target) return { key: 'wire.sameBlock', params: {} };

  const sourceBlock = graph.blockType(wire.source);
  const targetBlock = graph.blockType(wire.target);
  const output = sourceBlock && findPort(outputPorts(sourceBlock), wire.sourceHandle);
  const input = targetBlock && findPort(targetBlock.inputs, wire.targetHandle);
  if (output === undefined || input === undefined) {
    return { key: 'wire.unknownPort', params: {} };
  }
  if (output.kind !== input.kind) {
    return {
      key: 'wire.kindMismatch',
      params: {
        output: output.label,
        outputKind: output.kind,
        input: input.label,
        inputKind: input.kind,
      },
    };
  }
  const duplicate = graph.wires.some(
    (existing) =>
      existing.source === wire.source &&
      existing.target === wire.target &&
      existing.sourceHandle === wire.sourceHandle &&
      existing.targetHandle === wire.targetHandle,
  );
  if (duplicate) return { key: 'wire.duplicate', params: {} };
  if (closesCycle(graph.wires, wire.source, wire.target)) return { key: 'wire.cycle', params: {} };
  return undefined;
}

/** Returns the kind a port carries, for styling a handle. */
export function portKindClass(kind: PortKind): string {
  return kind === 'files' ? 'port-files' : 'port-records';
}
