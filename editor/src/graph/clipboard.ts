import type { Edge } from '@xyflow/react';
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

/** Parses clipboard text; returns undefined when it is not Kurýr blocks. */
export function parseClipboard(text: string): ClipboardContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<ClipboardContent>;
    if (value.format !== CLIPBOARD_FORMAT || !Array.isArray(value.blocks)) return undefined;
    return { format: CLIPBOARD_FORMAT, version: 1, blocks: value.blocks, wires: value.wires ?? [] };
  } catch {
    return undefined;
  }
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
