import type { FileHandle } from 'node:fs/promises';
import { guessCodePage, type CodePage } from '../codepages/index.js';
import { dbfMessage } from './dbf-errors.js';
import type { DbfHeader } from './header.js';
import { MemoBlockError } from './memo.js';
import type { OpenMemo } from './record-reader.js';
import { readMemoBlock } from './values.js';
import type { DbfReadOptions } from './reader.js';

/** Records whose text a code page guess looks at, from the start of the table. */
export const GUESS_SAMPLE_RECORDS = 500;

/** Memos whose text a code page guess looks at, from the first records' memo fields. */
const GUESS_SAMPLE_MEMOS = 100;

/**
 * Counts how often each byte value occurs in the character fields (types C and V) of the first
 * `GUESS_SAMPLE_RECORDS` records, deleted ones included, and in up to `GUESS_SAMPLE_MEMOS` of
 * their memos.
 */
async function countTextBytes(
  handle: FileHandle,
  header: DbfHeader,
  availableRecords: number,
  memo: OpenMemo,
): Promise<Uint32Array> {
  const counts = new Uint32Array(256);
  const records = Math.min(availableRecords, GUESS_SAMPLE_RECORDS);
  const textFields = header.fields.filter((field) => field.type === 'C' || field.type === 'V');
  if (records === 0) return counts;

  const sample = Buffer.alloc(records * header.recordLength);
  const { bytesRead } = await handle.read(sample, 0, sample.length, header.headerLength);
  const complete = Math.floor(bytesRead / header.recordLength);
  for (let record = 0; record < complete; record++) {
    const start = record * header.recordLength;
    for (const field of textFields) {
      const at = start + field.offsetInRecord;
      for (let i = at; i < at + field.length; i++) counts[sample[i]!]!++;
    }
  }
  await countMemoBytes(sample, complete, header, memo, counts);
  return counts;
}

/** Adds the bytes of the memos that the sampled records refer to; damaged memos are skipped. */
async function countMemoBytes(
  sample: Buffer,
  records: number,
  header: DbfHeader,
  memo: OpenMemo,
  counts: Uint32Array,
): Promise<void> {
  if (memo?.file === undefined) return;
  let memos = 0;
  for (let record = 0; record < records && memos < GUESS_SAMPLE_MEMOS; record++) {
    for (const field of memo.fields) {
      const block = readMemoBlock(sample, record * header.recordLength, field);
      if (block === undefined) continue;
      const bytes = await memo.file.read(block).catch((error: unknown) => {
        if (error instanceof MemoBlockError) return Buffer.alloc(0);
        throw error;
      });
      for (const byte of bytes) counts[byte]!++;
      memos++;
    }
  }
}

/**
 * Guesses the code page of a table that declares none from the text of its first records, and
 * warns with DBF_CODE_PAGE_GUESSED. Returns undefined for ASCII text and for text that fits no
 * candidate, so non-ASCII values then raise DBF_CODE_PAGE_UNKNOWN.
 */
export async function guessTableCodePage(
  handle: FileHandle,
  header: DbfHeader,
  availableRecords: number,
  memo: OpenMemo,
  file: string,
  options: DbfReadOptions,
): Promise<CodePage | undefined> {
  const counts = await countTextBytes(handle, header, availableRecords, memo);
  const guess = guessCodePage(counts);
  if (guess === undefined) return undefined;

  const records = Math.min(availableRecords, GUESS_SAMPLE_RECORDS);
  const { message } = dbfMessage('DBF_CODE_PAGE_GUESSED', { guessed: guess.codePage, records });
  options.onWarning?.('DBF_CODE_PAGE_GUESSED', message, { file, codePage: guess.codePage });
  return guess.codePage;
}
