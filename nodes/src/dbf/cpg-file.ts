import { open, stat } from 'node:fs/promises';
import {
  codePageFromLanguageDriver,
  normalizeCodePage,
  type CodePage,
} from '../codepages/index.js';
import { dbfMessage } from './dbf-errors.js';
import { findCompanionFile } from './memo.js';
import type { DbfReadOptions } from './reader.js';

/** A code page name is a few bytes; more than this is not a .cpg file worth reading whole. */
const CPG_MAX_BYTES = 256;

/**
 * Reads the code page that a `.cpg` file beside the table names, as shapefile writers leave
 * one, found in any letter case. Only its first 256 bytes are read, so a huge file or a link
 * to an endless device costs nothing. Content that names no code page Kurýr reads, and a
 * `.cpg` that is not a regular file, warn with DBF_CPG_UNKNOWN and count as no `.cpg` file.
 * A missing file is no `.cpg` file. The path goes through `resolveCompanion` first, which
 * rejects a link out of the data folder.
 */
export async function readCpgFile(
  file: string,
  options: Pick<DbfReadOptions, 'resolveCompanion' | 'onWarning'>,
): Promise<CodePage | undefined> {
  const found = await findCompanionFile(file, ['cpg']);
  if (found === undefined) return undefined;
  const path = options.resolveCompanion ? await options.resolveCompanion(found) : found;
  const content = await readStart(path);
  const codePage = content === undefined ? undefined : parseCpg(content);
  if (codePage !== undefined) return codePage;

  const shown = content === undefined ? 'no text (it is not a regular file)' : quote(content);
  const { message } = dbfMessage('DBF_CPG_UNKNOWN', { cpg: found, content: shown });
  options.onWarning?.('DBF_CPG_UNKNOWN', message, { file: found });
  return undefined;
}

/** Reads the first bytes of a regular file as Latin-1, or returns undefined for anything else. */
async function readStart(path: string): Promise<string | undefined> {
  // Checked before opening, because opening a named pipe for reading waits for a writer.
  if (!(await stat(path)).isFile()) return undefined;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CPG_MAX_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, CPG_MAX_BYTES, 0);
    return buffer.toString('latin1', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Returns the code page that the text of a `.cpg` file names, or undefined. Accepted, in any
 * letter case and after a UTF-8 byte order mark and surrounding white space are removed:
 * - the bare number that ArcGIS writes (`1250`, `852`) and `UTF-8`, which GDAL writes;
 * - every spelling that the code page setting accepts (`CP852`, `IBM852`, `windows-1250`, ...);
 * - `ANSI 1250` and `OEM 852`, a Windows or DOS page number after its kind, as some GIS
 *   programs write them (GDAL reads `ANSI 1251` likewise);
 * - `LDID/100`, a DBF language-driver number in decimal, as GDAL's ENCODING option spells it.
 * ISO 8859 names such as `88592` are not accepted: Kurýr has no ISO 8859 code pages.
 */
export function parseCpg(content: string): CodePage | undefined {
  // The BOM is read as Latin-1 here, so it is the three characters ï»¿.
  const text = content.replace(/^\u00ef\u00bb\u00bf|^\ufeff/, '').trim();
  const driver = /^LDID\/(\d{1,3})$/i.exec(text);
  if (driver !== null) return codePageFromLanguageDriver(Number(driver[1]));
  const name = text.replace(/^(ansi|oem)\s+(?=\d+$)/i, '');
  try {
    return normalizeCodePage(name);
  } catch {
    return undefined;
  }
}

/** Quotes the start of a file's content for a message, with control bytes made visible. */
function quote(content: string): string {
  const start = content.length > 40 ? `${content.slice(0, 40)}...` : content;
  return JSON.stringify(start);
}
