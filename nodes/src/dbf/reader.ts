import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import { codePageFromLanguageDriver, type CodePage } from '../codepages/index.js';
import { readCpgFile } from './cpg-file.js';
import { guessTableCodePage } from './code-page-sample.js';
import { dbfError, dbfMessage, type DbfErrorCode } from './dbf-errors.js';
import { isVisualFoxPro, MAX_HEADER_LENGTH, parseHeader, type DbfHeader } from './header.js';
import { findMemoFile, MemoFile } from './memo.js';
import { RecordReader, type OpenMemo } from './record-reader.js';
import { checkRequiredFields, countAvailableRecords } from './table-checks.js';
import { RecordDecoder } from './values.js';

/** Receives a warning about a part of the table that the read skipped, repaired or read anyway. */
export type OnDbfWarning = (code: DbfErrorCode, message: string, details: WarningDetails) => void;

export type DbfReadOptions = {
  /**
   * Code page of text values. Default: the one the `.cpg` file beside the table names, then the
   * one the language-driver byte declares, then a guess from the text of the first records (852, 1250,
   * Kamenický, 437 or 1252), which warns with DBF_CODE_PAGE_GUESSED. Non-ASCII text that fits
   * no candidate raises DBF_CODE_PAGE_UNKNOWN.
   */
  codePage?: CodePage;
  /**
   * Read damaged tables as far as they go: a table shorter than its header promises yields the
   * complete records, reading stops before a record of zero bytes, and missing memo files give
   * null memos. Each case calls `onWarning`. Default false, which raises a FlowAuthorError
   * instead.
   */
  lenient?: boolean;
  /**
   * Names of fields the table must have, in any letter case; without one of them `openDbf`
   * raises DBF_FIELDS_MISSING. Default: no check.
   */
  requiredFields?: readonly string[];
  /**
   * Raise DBF_BYTE_UNMAPPABLE for a text byte that the code page has no character for. Default
   * false, which reads the byte as U+FFFD and calls `onWarning`.
   */
  strict?: boolean;
  onWarning?: OnDbfWarning;
  /**
   * Checks the path of a file found beside the table (its memo or `.cpg` file) before it is
   * opened and returns the path to open, or throws. Read DBF passes the data folder's resolve,
   * so that a companion that is a symbolic link out of the data folder is rejected like the
   * table would be. Default: companions are opened as found.
   */
  resolveCompanion?: (path: string) => Promise<string>;
};

/** An open DBF table. Call `close()` when done, also after an error. */
export type DbfTable = {
  header: DbfHeader;
  /**
   * Code page used for text: the declared or guessed one, or undefined when the table declares
   * none and its sampled text is ASCII or fits no guess.
   */
  codePage: CodePage | undefined;
  /**
   * Number of records to read: `header.recordCount`, or fewer when a lenient read finds the file
   * cut short.
   */
  availableRecords: number;
  /**
   * Yields the records that are not deleted, in batches of up to `batchSize` (default 1000).
   * Reads the file in chunks, so memory stays constant whatever the table's size.
   */
  records(batchSize?: number): AsyncIterable<DataRecord[]>;
  close(): Promise<void>;
};

/**
 * Opens a dBase III/IV, FoxPro 2 or Visual FoxPro table and checks its header.
 *
 * Written by hand on Buffer slices instead of using the dbffile package, because the reader
 * must decode Kamenický, name byte offsets in its errors and stream a million records fast.
 *
 * @example
 * const table = await openDbf('items.dbf', { codePage: '852' });
 * try {
 *   for await (const batch of table.records(500)) handle(batch);
 * } finally {
 *   await table.close();
 * }
 */
export async function openDbf(path: string, options: DbfReadOptions = {}): Promise<DbfTable> {
  const handle = await open(path, 'r');
  try {
    return await openHandle(handle, path, options);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function openHandle(
  handle: FileHandle,
  file: string,
  options: DbfReadOptions,
): Promise<DbfTable> {
  const stats = await handle.stat();
  // Opening a folder succeeds on Linux and only reading fails, with an error that lacks the path.
  if (stats.isDirectory()) throw folderError(file);
  const { size } = stats;
  const start = Buffer.alloc(Math.min(size, MAX_HEADER_LENGTH + 1));
  await handle.read(start, 0, start.length, 0);

  const declared = size >= 32 ? codePageFromLanguageDriver(start[29]!) : undefined;
  // A .cpg file is written beside the table on purpose, while many writers leave a default
  // language-driver byte, so the .cpg file wins.
  const codePage = options.codePage ?? (await readCpgFile(file, options)) ?? declared;
  if (declared !== undefined && options.codePage !== undefined && declared !== options.codePage) {
    const parameters = { declared, chosen: options.codePage };
    const { message } = dbfMessage('DBF_CODE_PAGE_OVERRIDDEN', parameters);
    options.onWarning?.('DBF_CODE_PAGE_OVERRIDDEN', message, { file, ...parameters });
  }
  const header = parseHeader(start, size, file, codePage);
  warnAboutRenamedFields(header, file, options);
  checkRequiredFields(header, file, options.requiredFields);
  const availableRecords = await countAvailableRecords(handle, header, size, file, options);
  const memo = await openMemo(header, file, options);
  let textCodePage: CodePage | undefined;
  try {
    textCodePage =
      codePage ?? (await guessTableCodePage(handle, header, availableRecords, memo, file, options));
  } catch (error) {
    await memo?.file?.close();
    throw error;
  }
  const { languageDriver } = header;
  const decoder = new RecordDecoder(header.fields, textCodePage, file, languageDriver, options);
  const reader = new RecordReader(handle, header, decoder, memo, file, availableRecords, options);

  return {
    header,
    codePage: textCodePage,
    availableRecords,
    records: (batchSize = 1000) => reader.read(batchSize),
    close: async () => {
      await memo?.file?.close();
      await handle.close();
    },
  };
}

function warnAboutRenamedFields(header: DbfHeader, file: string, options: DbfReadOptions): void {
  for (const field of header.fields) {
    if (field.renamedFrom === undefined) continue;
    const parameters = {
      name: field.renamedFrom,
      renamed: field.name,
      offset: field.descriptorOffset,
    };
    const { message } = dbfMessage('DBF_FIELD_NAME_REPEATED', parameters);
    const details = { file, offset: field.descriptorOffset, field: field.name };
    options.onWarning?.('DBF_FIELD_NAME_REPEATED', message, details);
  }
}

/** Creates the error Node.js raises for reading a folder, so callers handle both alike. */
function folderError(path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `EISDIR: illegal operation on a directory, read '${path}'`,
  );
  error.code = 'EISDIR';
  error.syscall = 'read';
  error.path = path;
  return error;
}

async function openMemo(
  header: DbfHeader,
  file: string,
  options: DbfReadOptions,
): Promise<OpenMemo> {
  const fields = header.fields.filter((field) => field.type === 'M');
  if (fields.length === 0) return undefined;

  const isFoxPro =
    isVisualFoxPro(header.version) || header.version === 0xf5 || header.version === 0xfb;
  const found = await findMemoFile(file, isFoxPro ? 'fpt' : 'dbt');
  if (found !== undefined) {
    const path = options.resolveCompanion ? await options.resolveCompanion(found) : found;
    return { file: await MemoFile.open(path), fields };
  }

  const expected = file.slice(0, file.length - extname(file).length) + (isFoxPro ? '.fpt' : '.dbt');
  const error = dbfError('DBF_MEMO_FILE_MISSING', { expected }, { file });
  if (!options.lenient) throw error;
  options.onWarning?.('DBF_MEMO_FILE_MISSING', error.message, { file });
  return { file: undefined, fields };
}
