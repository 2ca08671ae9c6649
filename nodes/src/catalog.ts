import type { BlockDefinition } from './contract/block.js';
import { readCsvBlock, writeCsvBlock } from './blocks/csv/index.js';
import { readDbfBlock, writeDbfBlock } from './blocks/dbf/index.js';
import { readFileBlock, writeFileBlock } from './blocks/file/index.js';
import { readTextBlock, writeTextBlock } from './blocks/text/index.js';
import { filterBlock, mapBlock } from './blocks/transform/index.js';
import { ftpBlocks, sftpBlocks } from './blocks/transfer/index.js';

/** Every block type that Kurýr ships, in palette order. */
export const blockDefinitions: readonly BlockDefinition[] = [
  readDbfBlock,
  readFileBlock,
  writeFileBlock,
  mapBlock,
  filterBlock,
  readCsvBlock,
  writeCsvBlock,
  writeDbfBlock,
  readTextBlock,
  writeTextBlock,
  ...ftpBlocks,
  ...sftpBlocks,
] as unknown as readonly BlockDefinition[];
