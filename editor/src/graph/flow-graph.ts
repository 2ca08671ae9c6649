import type { Edge, Node } from '@xyflow/react';
import type { FlowBlock, FlowDocument } from '../api/types.js';

/** What a canvas node carries: one block of the flow, without its position. */
export type BlockNodeData = {
  type: string;
  version: number;
  name: string;
  parameters: Record<string, unknown>;
};

export type BlockNode = Node<BlockNodeData, 'block'>;

/** The flow's fields that are not on the canvas. */
export type FlowMeta = Omit<FlowDocument, 'blocks' | 'wires'>;

/** Returns the stable id of a wire between two ports. */
export function wireId(source: string, sourceHandle: string, target: string, targetHandle: string) {
  return `${source}:${sourceHandle}->${target}:${targetHandle}`;
}

/** Turns a saved block into a canvas node. */
export function blockToNode(block: FlowBlock): BlockNode {
  return {
    id: block.id,
    type: 'block',
    position: { ...block.position },
    data: {
      type: block.type,
      version: block.version,
      name: block.name,
      parameters: structuredClone(block.parameters),
    },
  };
}

/** Turns a canvas node back into a saved block; positions are rounded to whole pixels. */
export function nodeToBlock(node: BlockNode): FlowBlock {
  return {
    id: node.id,
    type: node.data.type,
    version: node.data.version,
    name: node.data.name,
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    parameters: structuredClone(node.data.parameters),
  };
}

/** Splits a flow document into its canvas nodes and edges and the rest. */
export function flowToGraph(flow: FlowDocument): {
  meta: FlowMeta;
  nodes: BlockNode[];
  edges: Edge[];
} {
  const { blocks, wires, ...meta } = flow;
  const edges = wires.map((wire) => ({
    id: wireId(wire.from.block, wire.from.port, wire.to.block, wire.to.port),
    source: wire.from.block,
    sourceHandle: wire.from.port,
    target: wire.to.block,
    targetHandle: wire.to.port,
  }));
  return { meta: structuredClone(meta), nodes: blocks.map(blockToNode), edges };
}

/** Joins the canvas back into a flow document. */
export function graphToFlow(meta: FlowMeta, nodes: BlockNode[], edges: Edge[]): FlowDocument {
  return {
    ...structuredClone(meta),
    blocks: nodes.map(nodeToBlock),
    wires: edges.map((edge) => ({
      from: { block: edge.source, port: edge.sourceHandle ?? '' },
      to: { block: edge.target, port: edge.targetHandle ?? '' },
    })),
  };
}

/** Returns a block id that is not in `taken`, built from the block type, e.g. `dbf-read-2`. */
export function newBlockId(type: string, taken: ReadonlySet<string>): string {
  const base = type.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  for (let index = 1; ; index += 1) {
    const id = `${base}-${index}`;
    if (!taken.has(id)) return id;
  }
}
