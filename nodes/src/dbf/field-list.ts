import { isAscii } from 'node:buffer';
import { decodeText, type CodePage } from '../codepages/index.js';
import { dbfError } from './dbf-errors.js';
import type { DbfField, DbfFieldType, DbfHeader } from './header.js';

/** Input of the field list parser. */
export type FieldListSource = {
  /** The first bytes of the file, the declared header and some more when the file has them. */
  bytes: Buffer;
  /** The header with its lengths already read. */
  header: DbfHeader;
  visualFoxPro: boolean;
  file: string;
  /** Decodes non-ASCII field names; undefined rejects them. */
  codePage: CodePage | undefined;
};

const DESCRIPTOR_LENGTH = 32;
/** Field flags of Visual FoxPro (descriptor byte 18). */
const FIELD_NULLABLE = 0x02;
/** Autoincrement sets two bits, 0x04 and 0x08, as Visual FoxPro writes it. */
const FIELD_AUTOINCREMENT = 0x0c;

/** Bytes after the field list of a Visual FoxPro header that link the table to its database. */
const VISUAL_FOXPRO_BACKLINK_LENGTH = 263;

/** Types with a fixed width. */
const fixedLengths: Partial<Record<DbfFieldType, number>> = { D: 8, I: 4, Y: 8, T: 8, B: 8 };

/**
 * Reads field descriptors from byte 32 until a 0x0D or 0x00 terminator, or until the declared
 * header length when the terminator is missing, then checks them against the header's lengths.
 */
export function parseFieldList(source: FieldListSource): DbfField[] {
  const { bytes, header } = source;
  const fields: DbfField[] = [];
  let position = DESCRIPTOR_LENGTH;
  let terminated = false;

  for (;;) {
    if (position >= bytes.length) break;
    if (bytes[position] === 0x0d || bytes[position] === 0x00) {
      terminated = true;
      break;
    }
    // Past the declared header length a missing terminator ends the list, unless a descriptor
    // follows there: then the header length is too small and checkHeaderLength reports it.
    if (position + DESCRIPTOR_LENGTH > header.headerLength && !isFieldStart(bytes, position)) break;
    if (position + DESCRIPTOR_LENGTH > bytes.length) break;
    fields.push(parseField(source, position));
    position += DESCRIPTOR_LENGTH;
  }

  checkHeaderLength(source, position, terminated);
  placeFields(source, fields);
  assignNullBits(source, fields);
  return fields;
}

/**
 * True when the bytes at `position` look like a field descriptor. A record can never look like
 * one, because it starts with its deletion flag (a space or `*`).
 */
function isFieldStart(bytes: Buffer, position: number): boolean {
  if (position + DESCRIPTOR_LENGTH > bytes.length) return false;
  const first = bytes[position]!;
  const isNameStart =
    (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f;
  return isNameStart && /[A-Za-z0-9]/.test(String.fromCharCode(bytes[position + 11]!));
}

/** Parses one descriptor; `offsetInRecord` is set later by placeFields. */
function parseField(source: FieldListSource, position: number): DbfField {
  const { bytes, file } = source;
  const name = parseFieldName(source, position);
  const typeByte = bytes[position + 11]!;
  const type = String.fromCharCode(typeByte).toUpperCase();
  const length = bytes[position + 16]!;
  const decimals = bytes[position + 17]!;
  const context = { file, offset: position, field: name };

  if (!isKnownType(type, source.visualFoxPro)) {
    const shown = typeByte >= 0x20 && typeByte < 0x7f ? type : `0x${typeByte.toString(16)}`;
    throw dbfError('DBF_FIELD_TYPE_UNKNOWN', { name, type: shown, offset: position }, context);
  }
  const fixed = fixedLengths[type];
  const isBadLength = length === 0 || (fixed !== undefined && length !== fixed);
  if (isBadLength || (type === 'M' && length !== 4 && length !== 10)) {
    throw dbfError('DBF_FIELD_INVALID', { name, type, length, offset: position }, context);
  }
  // Only N and F use the decimals byte for decimals; C keeps a width byte there in Clipper.
  if ((type === 'N' || type === 'F') && decimals >= length) {
    throw dbfError(
      'DBF_FIELD_DECIMALS_INVALID',
      { name, type, length, decimals, offset: position },
      context,
    );
  }

  const flags = source.visualFoxPro ? bytes[position + 18]! : 0;
  const nullable = type !== '0' && (flags & FIELD_NULLABLE) !== 0;
  const field: DbfField = {
    name,
    type,
    length,
    decimals,
    offsetInRecord: 0,
    descriptorOffset: position,
    nullable,
  };
  // The next value is an int32 at byte 19 and the step a byte at 23, as Visual FoxPro writes them.
  if (type === 'I' && (flags & FIELD_AUTOINCREMENT) === FIELD_AUTOINCREMENT) {
    field.autoIncrement = {
      next: bytes.readInt32LE(position + 19),
      step: bytes[position + 23]!,
    };
  }
  return field;
}

function isKnownType(type: string, visualFoxPro: boolean): type is DbfFieldType {
  if ('CNFDLMT'.includes(type)) return true;
  // B is a binary memo in dBase IV but a double in Visual FoxPro; I, Y, V and _NullFlags exist
  // only in Visual FoxPro.
  return visualFoxPro && 'IYBV0'.includes(type);
}

function parseFieldName(source: FieldListSource, position: number): string {
  const raw = source.bytes.subarray(position, position + 11);
  const end = raw.indexOf(0);
  const bytes = raw.subarray(0, end === -1 ? raw.length : end);
  if (!isAscii(bytes) && source.codePage === undefined) {
    const where = `the name of the field at byte ${position}`;
    const languageDriver = source.header.languageDriver;
    throw dbfError(
      'DBF_CODE_PAGE_UNKNOWN',
      { where, offset: position, languageDriver },
      { file: source.file, offset: position },
    );
  }
  const name = decodeText(bytes, source.codePage ?? 'utf-8').trim();
  return name === '' ? `FIELD_${(position - DESCRIPTOR_LENGTH) / DESCRIPTOR_LENGTH + 1}` : name;
}

function checkHeaderLength(source: FieldListSource, position: number, terminated: boolean): void {
  const { header } = source;
  const backlink = source.visualFoxPro && terminated ? VISUAL_FOXPRO_BACKLINK_LENGTH : 0;
  const needed = position + (terminated ? 1 : 0) + backlink;
  if (header.headerLength >= needed) return;

  let parts = 'the field list';
  if (terminated) parts += ' with its terminator';
  if (backlink > 0) parts += ' and the Visual FoxPro backlink';
  throw dbfError(
    'DBF_HEADER_LENGTH_MISMATCH',
    { declared: header.headerLength, needed, parts },
    { file: source.file, offset: 8 },
  );
}

/**
 * Sets each field's offset in the record, renames repeated names and checks that the widths
 * add up to the record length.
 */
function placeFields(source: FieldListSource, fields: DbfField[]): void {
  const { header } = source;
  let total = fields.reduce((sum, field) => sum + field.length, 1);
  if (total !== header.recordLength) {
    // Clipper keeps the high byte of a long character field's width in the decimals byte. Excel
    // writes real decimals there, so only take that reading when it makes the record add up.
    const widened = fields.reduce(
      (sum, field) => sum + field.length + (field.type === 'C' ? field.decimals * 256 : 0),
      1,
    );
    if (widened === header.recordLength) {
      for (const field of fields) if (field.type === 'C') field.length += field.decimals * 256;
      total = widened;
    }
  }
  const isEmptyTable = fields.length === 0 && header.recordLength === 0;
  if (total !== header.recordLength && !isEmptyTable) {
    throw dbfError(
      'DBF_RECORD_LENGTH_MISMATCH',
      { declared: header.recordLength, needed: total },
      { file: source.file, offset: 10 },
    );
  }

  const names = new Set<string>();
  let offset = 1;
  for (const field of fields) {
    const unique = uniqueName(field.name, names);
    if (unique !== field.name) field.renamedFrom = field.name;
    field.name = unique;
    field.offsetInRecord = offset;
    offset += field.length;
  }
}

function uniqueName(name: string, names: Set<string>): string {
  let unique = name;
  for (let suffix = 2; names.has(unique); suffix++) unique = `${name}_${suffix}`;
  names.add(unique);
  return unique;
}

/**
 * Gives nullable and varchar fields their bits in `_NullFlags`, in field order.
 *
 * NOTE: for a varchar field that is also nullable, the null bit is taken first. No test table
 * has such a field, so that order is unconfirmed.
 */
function assignNullBits(source: FieldListSource, fields: DbfField[]): void {
  // Without a `_NullFlags` field the flag bits have nowhere to live, so nothing is null.
  if (!source.visualFoxPro || !fields.some((field) => field.type === '0')) return;
  let bit = 0;
  for (const field of fields) {
    if (field.nullable) field.nullBit = bit++;
    if (field.type === 'V') field.varLengthBit = bit++;
  }
}
