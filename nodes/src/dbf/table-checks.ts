import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { dbfError, dbfMessage } from './dbf-errors.js';
import { recordFieldNames, type DbfHeader } from './header.js';
import type { DbfReadOptions } from './reader.js';

/** Byte that dBase writes after the last record. */
const END_OF_FILE = 0x1a;

/**
 * Checks that the table has every field of `required`, compared without regard to letter case
 * against the names the reader gives the fields. Throws DBF_FIELDS_MISSING naming the missing
 * ones and the fields the table has.
 */
export function checkRequiredFields(
  header: DbfHeader,
  file: string,
  required: readonly string[] | undefined,
): void {
  if (required === undefined || required.length === 0) return;

  const present = recordFieldNames(header);
  const presentKeys = new Set(present.map((name) => name.toUpperCase()));
  const missingKeys = new Set<string>();
  const missing = required.filter((name) => {
    const key = name.toUpperCase();
    if (presentKeys.has(key) || missingKeys.has(key)) return false;
    missingKeys.add(key);
    return true;
  });
  if (missing.length === 0) return;

  throw dbfError('DBF_FIELDS_MISSING', { table: basename(file), missing, present }, { file });
}

/**
 * Returns how many records to read: the header's record count, or fewer when the file is cut
 * short. A file cut short raises DBF_TRUNCATED, or warns in a lenient read. A file with more
 * records than the header counts raises DBF_MORE_RECORDS_THAN_HEADER, because exporting part of
 * a table would look like a complete export. A lenient read warns and reads only the counted
 * records, as dBase does.
 */
export async function countAvailableRecords(
  handle: FileHandle,
  header: DbfHeader,
  size: number,
  file: string,
  options: DbfReadOptions,
): Promise<number> {
  const held =
    header.recordLength === 0 ? 0 : Math.floor((size - header.headerLength) / header.recordLength);
  if (header.recordCount === held) return held;
  if (header.recordCount < held) {
    await warnAboutUncountedRecords(handle, header, held, file, options);
    return header.recordCount;
  }

  const offset = header.headerLength + held * header.recordLength;
  const error = dbfError('DBF_TRUNCATED', { promised: header.recordCount, held }, { file, offset });
  if (!options.lenient) throw error;
  options.onWarning?.('DBF_TRUNCATED', error.message, {
    file,
    offset,
    promised: header.recordCount,
    held,
  });
  return held;
}

async function warnAboutUncountedRecords(
  handle: FileHandle,
  header: DbfHeader,
  recordsInFile: number,
  file: string,
  options: DbfReadOptions,
): Promise<void> {
  const offset = header.headerLength + header.recordCount * header.recordLength;
  const first = Buffer.alloc(header.recordLength);
  await handle.read(first, 0, first.length, offset);
  // An end-of-file byte or a record of zero bytes (preallocated space) right after the counted
  // records means that the data ends there.
  // NOTE: only that first record is looked at, and the count in the warning comes from the file
  // size, so it includes any padding behind a later end-of-file byte.
  if (first[0] === END_OF_FILE || isZeroFilled(first, 0, first.length)) return;

  const parameters = { declared: header.recordCount, inFile: recordsInFile, offset };
  if (!options.lenient)
    throw dbfError('DBF_MORE_RECORDS_THAN_HEADER', parameters, { file, offset });
  const { message } = dbfMessage('DBF_MORE_RECORDS_THAN_HEADER', parameters);
  options.onWarning?.('DBF_MORE_RECORDS_THAN_HEADER', message, {
    file,
    offset,
    headerRecords: header.recordCount,
    fileRecords: recordsInFile,
  });
}

/** Returns true when every byte from `from` to `to` is 0x00. */
export function isZeroFilled(buffer: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buffer[i] !== 0x00) return false;
  return true;
}
