// Benchmark input: a table of generated warehouse items in code page 852, written once and reused.
import { open, rename, rm, stat } from 'node:fs/promises';
import {
  createDbfWriter,
  demoItemFields,
  generateItems,
  languageDriverForCodePage,
} from '../../nodes/dist/index.js';

const CODE_PAGE = '852';
const SEED = 852;
/** A fixed header date, so the same count always gives the same bytes. */
const LAST_UPDATE = new Date(2026, 10, 30);

/**
 * Writes `count` generated items to `path`, unless the file there already is a complete table of
 * that many records in code page 852. Returns true when it wrote the table. The table is written
 * under a temporary name and renamed at the end, so an interrupted run leaves nothing to reuse.
 */
export async function ensureItemsTable(path, count) {
  if (await isCompleteTable(path, count)) return false;

  const partial = `${path}.partial`;
  const writer = await createDbfWriter(partial, {
    fields: demoItemFields,
    codePage: CODE_PAGE,
    lastUpdate: LAST_UPDATE,
  });
  try {
    for (const batch of generateItems(count, SEED)) await writer.write(batch);
  } finally {
    await writer.close();
  }
  await rename(partial, path);
  return true;
}

/** Checks the header's record count, language driver and the file size that they imply. */
async function isCompleteTable(path, count) {
  const size = await stat(path).then(
    (stats) => stats.size,
    () => undefined,
  );
  if (size === undefined) return false;

  const header = Buffer.alloc(32);
  const handle = await open(path, 'r');
  try {
    await handle.read(header, 0, 32, 0);
  } finally {
    await handle.close();
  }
  const recordCount = header.readUInt32LE(4);
  const headerLength = header.readUInt16LE(8);
  const recordLength = header.readUInt16LE(10);
  const isComplete =
    recordCount === count &&
    header[29] === languageDriverForCodePage(CODE_PAGE) &&
    size === headerLength + count * recordLength + 1;
  if (!isComplete) await rm(path);
  return isComplete;
}
