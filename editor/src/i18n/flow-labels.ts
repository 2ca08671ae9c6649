import type { CatalogBlock } from '../api/types.js';
import type { BlockNode } from '../graph/flow-graph.js';

/**
 * The names the editor shows in place of the ids that the runtime reports: a block's name, and
 * the label of its port or the title of its parameter in the editor's language. Each returns
 * undefined when the flow has no such block, port or parameter, so the caller keeps the id.
 */
export type FlowLabels = {
  blockName(blockId: string): string | undefined;
  portLabel(blockId: string, port: string): string | undefined;
  parameterTitle(blockId: string, parameter: string): string | undefined;
};

/** Labels of the blocks on the canvas, from their names and their localized catalogue entries. */
export function flowLabels(state: {
  nodes: readonly BlockNode[];
  catalogByType: Readonly<Record<string, CatalogBlock>>;
}): FlowLabels {
  const nodes = new Map(state.nodes.map((node) => [node.id, node]));
  const nodeOf = (blockId: string) => nodes.get(blockId);
  const catalogOf = (blockId: string) => {
    const node = nodeOf(blockId);
    return node === undefined ? undefined : state.catalogByType[node.data.type];
  };
  return {
    blockName(blockId) {
      const name = nodeOf(blockId)?.data.name.trim();
      return name === undefined || name === '' ? undefined : name;
    },
    portLabel(blockId, port) {
      const block = catalogOf(blockId);
      const spec = [...(block?.inputs ?? []), ...(block?.outputs ?? [])].find(
        (candidate) => candidate.name === port,
      );
      return spec?.label;
    },
    parameterTitle(blockId, parameter) {
      return catalogOf(blockId)?.parameters.properties?.[parameter]?.title;
    },
  };
}
