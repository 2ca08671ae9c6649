import type { BlockDefinition } from './contract/block.js';
import { writeCsvBlock } from './blocks/csv/index.js';
import { readDbfBlock } from './blocks/dbf/index.js';
import { readFileBlock, writeFileBlock } from './blocks/file/index.js';
import { filterBlock, mapBlock } from './blocks/transform/index.js';
import { ftpBlocks, sftpBlocks } from './blocks/transfer/index.js';

/** Every block type that Kurýr ships, in palette order. */
export const blockDefinitions: readonly BlockDefinition[] = [
  readDbfBlock,
  readFileBlock,
  writeFileBlock,
  mapBlock,
  filterBlock,
  writeCsvBlock,
  ...ftpBlocks,
  ...sftpBlocks,
] as unknown as readonly BlockDefinition[];
