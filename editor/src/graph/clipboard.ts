import type { Edge } from '@xyflow/react';
import Ajv2020 from 'ajv/dist/2020.js';
import type { FlowBlock, WireEnd } from '../api/types.js';
import { blockToNode, newBlockId, nodeToBlock, wireId, type BlockNode } from './flow-graph.js';

/** Marker of the clipboard format, so pasting unrelated text is ignored. */
export const CLIPBOARD_FORMAT = 'kuryr/blocks';

/** Blocks and the wires between them, as JSON on the clipboard. */
export type ClipboardContent = {
  format: typeof CLIPBOARD_FORMAT;
  version: 1;
  blocks: FlowBlock[];
  wires: { from: WireEnd; to: WireEnd }[];
};

/** Serialises the selected blocks and the wires among them. */
export function copyBlocks(nodes: BlockNode[], edges: Edge[]): string {
  const selected = nodes.filter((node) => node.selected);
  const ids = new Set(selected.map((node) => node.id));
  const content: ClipboardContent = {
    format: CLIPBOARD_FORMAT,
    version: 1,
    blocks: selected.map(nodeToBlock),
    wires: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({
        from: { block: edge.source, port: edge.sourceHandle ?? '' },
        to: { block: edge.target, port: edge.targetHandle ?? '' },
      })),
  };
  return JSON.stringify(content, null, 2);
}

const point = {
  type: 'object',
  properties: { x: { type: 'number' }, y: { type: 'number' } },
  required: ['x', 'y'],
};
const wireEnd = {
  type: 'object',
  properties: { block: { type: 'string' }, port: { type: 'string' } },
  required: ['block', 'port'],
};

// Pasted text may come from another installation, another version or a hand edit, so the
// blocks are checked before they reach the canvas. `useDefaults` fills in what a flow file may
// also leave out.
const validateContent = new Ajv2020({ useDefaults: true }).compile<ClipboardContent>({
  type: 'object',
  properties: {
    format: { const: CLIPBOARD_FORMAT },
    blocks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', minLength: 1 },
          type: { type: 'string', minLength: 1 },
          version: { type: 'integer', minimum: 1, default: 1 },
          name: { type: 'string', default: '' },
          position: point,
          parameters: { type: 'object', default: {} },
        },
        required: ['id', 'type', 'position'],
      },
    },
    wires: {
      type: 'array',
      items: {
        type: 'object',
        properties: { from: wireEnd, to: wireEnd },
        required: ['from', 'to'],
      },
      default: [],
    },
  },
  required: ['format', 'blocks'],
});

/** Parses clipboard text, or returns undefined when it is not well-formed Kurýr blocks. */
export function parseClipboard(text: string): ClipboardContent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!validateContent(value)) return undefined;
  return { format: CLIPBOARD_FORMAT, version: 1, blocks: value.blocks, wires: value.wires };
}

/**
 * Turns pasted blocks into new, selected nodes with fresh ids, shifted by `offset`, and
 * reconnects the wires among them.
 */
export function pasteBlocks(
  content: ClipboardContent,
  takenIds: ReadonlySet<string>,
  offset: { x: number; y: number },
): { nodes: BlockNode[]; edges: Edge[] } {
  const taken = new Set(takenIds);
  const renamed = new Map<string, string>();
  const nodes = content.blocks.map((block) => {
    const id = newBlockId(block.type, taken);
    taken.add(id);
    renamed.set(block.id, id);
    const position = { x: block.position.x + offset.x, y: block.position.y + offset.y };
    return { ...blockToNode({ ...block, id, position }), selected: true };
  });
  const edges = content.wires.flatMap((wire) => {
    const source = renamed.get(wire.from.block);
    const target = renamed.get(wire.to.block);
    if (source === undefined || target === undefined) return [];
    return [
      {
        id: wireId(source, wire.from.port, target, wire.to.port),
        source,
        sourceHandle: wire.from.port,
        target,
        targetHandle: wire.to.port,
      },
    ];
  });
  return { nodes, edges };
}
