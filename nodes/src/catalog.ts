import type { BlockDefinition } from './contract/block.js';
import { readFileBlock, writeFileBlock } from './blocks/file/index.js';
import { filterBlock, mapBlock } from './blocks/transform/index.js';

/** Every block type that Kurýr ships, in palette order. */
export const blockDefinitions: readonly BlockDefinition[] = [
  readFileBlock,
  writeFileBlock,
  mapBlock,
  filterBlock,
] as unknown as readonly BlockDefinition[];
