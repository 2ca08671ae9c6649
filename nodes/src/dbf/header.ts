import type { CodePage } from '../codepages/index.js';
import { dbfError } from './dbf-errors.js';
import { parseFieldList } from './field-list.js';

/** Field types the reader decodes. `0` is the hidden `_NullFlags` field of Visual FoxPro. */
export type DbfFieldType = 'C' | 'N' | 'F' | 'D' | 'L' | 'I' | 'Y' | 'B' | 'T' | 'M' | 'V' | '0';

/** One column of a DBF table, as its field descriptor declares it. */
export type DbfField = {
  /** Name as written in the table; a repeated name gets a suffix `_2`, `_3` and so on. */
  name: string;
  type: DbfFieldType;
  /** Width in bytes. */
  length: number;
  /** Digits after the decimal point, for N and F fields. */
  decimals: number;
  /** Position of the value inside a record; 0 is the deletion flag. */
  offsetInRecord: number;
  /** Byte offset of the field descriptor in the file. */
  descriptorOffset: number;
  /** True for a Visual FoxPro field that may be null. */
  nullable: boolean;
  /** Bit in `_NullFlags` that marks the value null (Visual FoxPro nullable fields). */
  nullBit?: number;
  /** Bit in `_NullFlags` that marks a varchar value shorter than the field. */
  varLengthBit?: number;
  /** Autoincrement of a Visual FoxPro integer field, from its descriptor. */
  autoIncrement?: { next: number; step: number };
  /** Name in the table of a field renamed because an earlier field has the same name. */
  renamedFrom?: string;
};

/** Header of a DBF table. */
export type DbfHeader = {
  /** Version byte at offset 0, e.g. 0x03 for dBase III. */
  version: number;
  /** Readable name of the version, e.g. `dBase III`. */
  versionName: string;
  /** Date of the last update as `YYYY-MM-DD`, or null when the header has none. */
  lastUpdate: string | null;
  /** Number of records the header declares, deleted ones included. */
  recordCount: number;
  /** Bytes before the first record. */
  headerLength: number;
  /** Bytes per record, the deletion flag included. */
  recordLength: number;
  /** Language-driver byte at offset 29; 0 when the writer set none. */
  languageDriver: number;
  /** Fields in record order, the hidden `_NullFlags` field included. */
  fields: DbfField[];
};

type VersionInfo = { name: string; visualFoxPro: boolean };

const versions = new Map<number, VersionInfo>([
  [0x03, { name: 'dBase III', visualFoxPro: false }],
  [0x83, { name: 'dBase III with memo', visualFoxPro: false }],
  [0x43, { name: 'dBase IV with SQL table', visualFoxPro: false }],
  [0x63, { name: 'dBase IV with SQL system table', visualFoxPro: false }],
  [0x7b, { name: 'dBase IV with memo', visualFoxPro: false }],
  [0x8b, { name: 'dBase IV with memo', visualFoxPro: false }],
  [0xcb, { name: 'dBase IV with SQL table and memo', visualFoxPro: false }],
  [0xe5, { name: 'Clipper SIX with memo', visualFoxPro: false }],
  [0xf5, { name: 'FoxPro 2 with memo', visualFoxPro: false }],
  [0xfb, { name: 'FoxBASE', visualFoxPro: false }],
  [0x30, { name: 'Visual FoxPro', visualFoxPro: true }],
  [0x31, { name: 'Visual FoxPro with autoincrement', visualFoxPro: true }],
  [0x32, { name: 'Visual FoxPro with varchar', visualFoxPro: true }],
]);

const unsupportedVersions = new Map<number, string>([
  [0x04, 'dBase 7'],
  [0x8c, 'dBase 7 with memo'],
  [0x02, 'FoxBASE'],
]);

/** Largest header the format can declare (a 16-bit field), so the part read to parse it. */
export const MAX_HEADER_LENGTH = 0xffff;

/** Returns the names of the fields that records carry: all but Visual FoxPro's `_NullFlags`. */
export function recordFieldNames(header: DbfHeader): string[] {
  return header.fields.filter((field) => field.type !== '0').map((field) => field.name);
}

/** Returns true when the version byte marks a Visual FoxPro table. */
export function isVisualFoxPro(version: number): boolean {
  return versions.get(version)?.visualFoxPro ?? false;
}

/**
 * Parses the header at the start of a DBF file. `bytes` contains the first bytes of the file, at
 * least the declared header length when the file has that many. `codePage` decodes non-ASCII
 * field names; when it is undefined such names raise DBF_CODE_PAGE_UNKNOWN.
 */
export function parseHeader(
  bytes: Buffer,
  fileSize: number,
  file: string,
  codePage: CodePage | undefined,
): DbfHeader {
  if (fileSize < 32) {
    throw dbfError(
      'DBF_TOO_SHORT',
      { size: fileSize, needed: 32, what: 'a DBF header' },
      { file, offset: 0 },
    );
  }
  const version = bytes[0]!;
  const info = checkVersion(version, file);
  const headerLength = bytes.readUInt16LE(8);
  if (fileSize < headerLength) {
    throw dbfError(
      'DBF_TOO_SHORT',
      { size: fileSize, needed: headerLength, what: 'the header length field (byte 8)' },
      { file, offset: 8 },
    );
  }

  const header: DbfHeader = {
    version,
    versionName: info.name,
    lastUpdate: parseUpdateDate(bytes),
    recordCount: bytes.readUInt32LE(4),
    headerLength,
    recordLength: bytes.readUInt16LE(10),
    languageDriver: bytes[29]!,
    fields: [],
  };
  header.fields = parseFieldList({
    bytes,
    header,
    visualFoxPro: info.visualFoxPro,
    file,
    codePage,
  });
  return header;
}

function checkVersion(version: number, file: string): VersionInfo {
  const info = versions.get(version);
  if (info !== undefined) return info;

  const unsupported = unsupportedVersions.get(version);
  if (unsupported !== undefined) {
    throw dbfError('DBF_VERSION_UNSUPPORTED', { version, name: unsupported }, { file, offset: 0 });
  }
  throw dbfError('DBF_VERSION_UNKNOWN', { version }, { file, offset: 0 });
}

function parseUpdateDate(bytes: Buffer): string | null {
  const [year, month, day] = [bytes[1]!, bytes[2]!, bytes[3]!];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  // The year byte counts from 1900; writers after 1999 store either year - 1900 or year - 2000.
  const fullYear = year < 80 ? 2000 + year : 1900 + year;
  return `${fullYear}-${pad(month)}-${pad(day)}`;
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
