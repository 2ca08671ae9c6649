import { join } from 'node:path';
import { createDataFolder } from '../src/storage/data-folder.js';
import { testCatalog } from './blocks.js';

/**
 * Options of runFlow that tests share: the test catalogue, no variables, `folder` as the data
 * folder and its `.tmp` for temporary files, and a state folder beside it that is never created.
 */
export async function testRunOptions(folder: string) {
  return {
    catalog: testCatalog,
    variables: {},
    dataFolder: await createDataFolder(folder, join(folder, '..', 'kuryr-state-unused')),
    tempParent: join(folder, '.tmp'),
  };
}
