import { dbfError } from './dbf-errors.js';
import type { DbfField } from './header.js';

/**
 * Table layout the writer produces. `dbase3` is version 0x03, or 0x83 with a `.dbt` memo file.
 * `foxpro` (FoxPro 2) is 0x03, or 0xF5 with an `.fpt` memo file. `visual-foxpro` is 0x30, with a
 * 263-byte backlink after the field list and an `.fpt` memo file.
 */
export type DbfWriteFormat = 'dbase3' | 'foxpro' | 'visual-foxpro';

/** Field types the writer accepts; I, Y, B, T and V exist only in Visual FoxPro tables. */
export type DbfWriteFieldType = 'C' | 'N' | 'F' | 'D' | 'L' | 'M' | 'I' | 'Y' | 'B' | 'T' | 'V';

/** Autoincrement of a Visual FoxPro integer field: the value the next record gets, and the step. */
export type DbfAutoIncrement = { next: number; step: number };

/** A column of a table to write. */
export type DbfWriteField = {
  /**
   * 1 to 10 ASCII letters, digits or underscores, starting with a letter or underscore. Stored
   * upper case, as dBase does, unless the writer's `keepNameCase` is set.
   */
  name: string;
  type: DbfWriteFieldType;
  /**
   * Width in bytes: C and V 1 to 254, N and F 1 to 20. Other types have a fixed width (D 8, L 1, I 4,
   * Y, B and T 8, M 10, or 4 in Visual FoxPro), which replaces the length set here.
   */
  length?: number;
  /** Digits after the decimal point of an N, F or B field; default 0. */
  decimals?: number;
  /**
   * Allow null in a Visual FoxPro field, marked in the hidden `_NullFlags` field; default false.
   * Without it, null in an I, Y or B field fails, because those types have no blank value.
   */
  nullable?: boolean;
  /**
   * Visual FoxPro I fields only: records without a value get `next`, `next + step` and so on,
   * and the descriptor keeps the value after the last record, as Visual FoxPro does.
   */
  autoIncrement?: DbfAutoIncrement;
};

/**
 * A field ready to write: its final width, its position in the record and its bits in
 * `_NullFlags`, one marking null and one marking a varchar value shorter than the field.
 */
export type WriteColumn = Required<Omit<DbfWriteField, 'autoIncrement'>> & {
  autoIncrement?: DbfAutoIncrement;
  offset: number;
  nullBit?: number;
  varLengthBit?: number;
};

/** Fields of a table to write, with the hidden `_NullFlags` field when a field is nullable. */
export type WriteLayout = {
  columns: WriteColumn[];
  /** Position and width of `_NullFlags` in the record. */
  nullFlags: { offset: number; length: number } | undefined;
  /** Bytes per record, the deletion flag included. */
  recordLength: number;
};

const typesByFormat: Readonly<Record<DbfWriteFormat, string>> = {
  dbase3: 'CNDLM',
  foxpro: 'CNFDLM',
  'visual-foxpro': 'CNFDLMIYBTV',
};

const fixedLengths: Partial<Record<DbfWriteFieldType, number>> = {
  D: 8,
  L: 1,
  I: 4,
  Y: 8,
  B: 8,
  T: 8,
};

/**
 * Largest number of decimals of an N or F field, as dBase IV allows. Values are written from
 * their shortest decimal text, so decimals beyond a double's precision are zeros, not noise.
 */
const MAX_DECIMALS = 18;

/**
 * Checks field definitions against the format and returns them with final widths and offsets.
 * Throws DBF_WRITE_FIELDS_INVALID naming the first bad definition.
 */
export function toWriteLayout(
  fields: readonly DbfWriteField[],
  format: DbfWriteFormat,
  file: string,
): WriteLayout {
  const invalid = (reason: string) => dbfError('DBF_WRITE_FIELDS_INVALID', { reason }, { file });
  if (fields.length === 0) throw invalid('a table needs at least one field');
  if (fields.length > 255) throw invalid(`${fields.length} fields, a table has at most 255`);
  const names = new Set<string>();
  let offset = 1;

  const columns = fields.map((field) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,9}$/.test(field.name))
      throw invalid(`field name "${field.name}"`);
    if (names.has(field.name.toUpperCase()))
      throw invalid(`field name "${field.name}" is repeated`);
    names.add(field.name.toUpperCase());
    if (!typesByFormat[format].includes(field.type)) {
      throw invalid(
        `field ${field.name} has type ${field.type}, which ${format} tables do not have ` +
          `(allowed: ${typesByFormat[format].split('').join(', ')})`,
      );
    }

    if (field.nullable && format !== 'visual-foxpro') {
      throw invalid(`field ${field.name} is nullable, which only Visual FoxPro tables allow`);
    }

    checkAutoIncrement(field, invalid);
    const nullable = field.nullable ?? false;
    const column: WriteColumn = { ...field, ...widthOf(field, format, invalid), nullable, offset };
    offset += column.length;
    return column;
  });

  const nullFlags = placeNullFlags(columns, offset);
  const recordLength = offset + (nullFlags?.length ?? 0);
  if (recordLength > 0xffff) {
    throw invalid(`records of ${recordLength} bytes, at most 65535 are allowed`);
  }
  return { columns, nullFlags, recordLength };
}

/**
 * Gives each nullable column and each varchar column a bit in a `_NullFlags` field after the
 * fields, in field order; a nullable varchar column gets its null bit first, as the reader
 * expects (see assignNullBits in field-list.ts).
 */
function placeNullFlags(columns: WriteColumn[], offset: number): WriteLayout['nullFlags'] {
  let bit = 0;
  for (const column of columns) {
    if (column.nullable) column.nullBit = bit++;
    if (column.type === 'V') column.varLengthBit = bit++;
  }
  return bit === 0 ? undefined : { offset, length: Math.ceil(bit / 8) };
}

function widthOf(
  field: DbfWriteField,
  format: DbfWriteFormat,
  invalid: (reason: string) => Error,
): { length: number; decimals: number } {
  const memoLength = format === 'visual-foxpro' ? 4 : 10;
  const length = field.type === 'M' ? memoLength : (fixedLengths[field.type] ?? field.length);
  const hasDecimals = field.type === 'N' || field.type === 'F' || field.type === 'B';
  // Visual FoxPro declares 4 decimals for currency, which always has four.
  const fixedDecimals = field.type === 'Y' ? 4 : 0;
  const decimals = hasDecimals ? (field.decimals ?? 0) : fixedDecimals;
  const maxLength = field.type === 'C' || field.type === 'V' ? 254 : 20;

  if (length === undefined || !Number.isInteger(length) || length < 1 || length > maxLength) {
    const given = field.length === undefined ? 'no length' : `length ${field.length}`;
    throw invalid(`field ${field.name} has ${given}, allowed are 1 to ${maxLength}`);
  }
  const maxDecimals = field.type === 'B' ? 18 : Math.min(MAX_DECIMALS, length - 2);
  if (!Number.isInteger(decimals) || decimals < 0 || (decimals > 0 && decimals > maxDecimals)) {
    throw invalid(`field ${field.name} has ${decimals} decimals, too many for length ${length}`);
  }
  return { length, decimals };
}

function checkAutoIncrement(field: DbfWriteField, invalid: (reason: string) => Error): void {
  const auto = field.autoIncrement;
  if (auto === undefined) return;
  if (field.type !== 'I') {
    throw invalid(`field ${field.name} has type ${field.type}; only I fields autoincrement`);
  }
  if (!Number.isInteger(auto.next) || auto.next < -0x8000_0000 || auto.next > 0x7fff_ffff) {
    throw invalid(
      `field ${field.name} has the next autoincrement value ${auto.next}, outside the ` +
        'integer range -2147483648 to 2147483647',
    );
  }
  if (!Number.isInteger(auto.step) || auto.step < 1 || auto.step > 255) {
    throw invalid(`field ${field.name} has the autoincrement step ${auto.step}, allowed 1 to 255`);
  }
}

/**
 * Returns the write definitions of a table's fields, e.g. of a template table, leaving out the
 * hidden `_NullFlags` field. Outside Visual FoxPro a varchar field (V) becomes a character field
 * of the same width, and an integer field loses its autoincrement. For a `dbase3` table, which has no F type, a float field (F) of a dBase IV template becomes a
 * numeric field (N) of the same width: both store the number as right-aligned ASCII digits.
 */
export function writeFieldsFromTable(
  fields: readonly DbfField[],
  format?: DbfWriteFormat,
): DbfWriteField[] {
  const floatType = format === 'dbase3' ? 'N' : 'F';
  const isVisualFoxPro = format === 'visual-foxpro';
  return fields
    .filter((field) => field.type !== '0')
    .map((field) => ({
      name: field.name,
      type: (field.type === 'V' && !isVisualFoxPro
        ? 'C'
        : field.type === 'F'
          ? floatType
          : field.type) as DbfWriteFieldType,
      length: field.length,
      decimals: field.decimals,
      nullable: field.nullable,
      ...(field.autoIncrement !== undefined && isVisualFoxPro
        ? { autoIncrement: { ...field.autoIncrement } }
        : {}),
    }));
}
