import { isAscii, isUtf8 } from 'node:buffer';
import type { DataRecord } from '../contract/block.js';
import { decodeSingleByteRange } from '../codepages/codec.js';
import { decodeText, type CodePage } from '../codepages/index.js';
import { canGenerateCode, compileGenerated } from '../generated-code.js';
import { findInvalidUtf8 } from '../text/utf8.js';
import { isCalendarDate } from './calendar.js';
import { parseDecimal, readDigits } from './decimal.js';
import { dbfError, dbfMessage } from './dbf-errors.js';
import type { DbfField } from './header.js';
import type { DbfReadOptions } from './reader.js';

/** Location of the record being decoded, for error messages. */
export type RecordPosition = {
  /** 1-based number of the record in the file, deleted records included. */
  record: number;
  /** Byte offset of the record in the file. */
  offset: number;
};

/** A memo field's block number, resolved to text by the reader after the record is decoded. */
export type MemoReference = { block: number };

/** Julian day number of 1970-01-01. */
const JULIAN_DAY_OF_UNIX_EPOCH = 2440588;
const MS_PER_DAY = 86_400_000;

const DATE_CACHE_SIZE = 10_000;

/** Decodes one field's value from the record buffer; `at` is the field's first byte. */
type FieldDecode = (buffer: Buffer, at: number, start: number, position: RecordPosition) => unknown;

/** A visible field with the decode function chosen for its type. */
type FieldStep = { name: string; offset: number; nullBit: number | undefined; decode: FieldDecode };

/**
 * Decodes the records of one table. The decode function of each field is chosen once from the
 * field list, and values are read straight from the file's buffer, so that no intermediate
 * strings are made for numbers, dates and logical values.
 */
export class RecordDecoder {
  private readonly nullFlags: DbfField | undefined;
  private readonly steps: FieldStep[];
  /** ISO text of dates already decoded, keyed by the YYYYMMDD number. */
  private readonly dates = new Map<number, string>();
  /** Decodes a whole record; see {@link decode}. */
  private readonly decodeRecord: (
    buffer: Buffer,
    start: number,
    position: RecordPosition,
  ) => DataRecord;

  constructor(
    fields: readonly DbfField[],
    private readonly codePage: CodePage | undefined,
    private readonly file: string,
    private readonly languageDriver: number,
    private readonly options: Pick<DbfReadOptions, 'strict' | 'onWarning'>,
  ) {
    this.nullFlags = fields.find((field) => field.type === '0');
    this.steps = fields
      .filter((field) => field.type !== '0')
      .map((field) => ({
        name: field.name,
        offset: field.offsetInRecord,
        nullBit: field.nullBit,
        decode: this.chooseDecode(field),
      }));
    this.decodeRecord =
      !canGenerateCode || this.steps.some((step) => step.name === '__proto__')
        ? (buffer, start, position) => this.decodeInLoop(buffer, start, position)
        : this.compileRecordDecoder();
  }

  /** Decodes the record at `start` in `buffer`; memo fields hold a MemoReference or null. */
  decode(buffer: Buffer, start: number, position: RecordPosition): DataRecord {
    return this.decodeRecord(buffer, start, position);
  }

  /**
   * Compiles a decoder that builds each record of this table as one object literal of the
   * field names. V8 creates such an object with its final shape at once, and it can inline
   * each field's decode function, because each is called from a site of its own. A loop would
   * store every field from one site by a name read from the field list. The fields are decoded
   * in the same order as in the loop, so the same error comes first. A field named `__proto__`
   * would set the prototype in a literal, so such tables are decoded by the loop, as are all
   * tables where Node.js forbids generating code.
   */
  private compileRecordDecoder(): typeof this.decodeRecord {
    const bindings: Record<string, unknown> = {};
    const properties = this.steps.map((step, index) => {
      const decode = step.decode;
      const offset = step.offset;
      const nullBit = step.nullBit;
      bindings[`field${index}`] =
        nullBit === undefined
          ? (buffer: Buffer, start: number, position: RecordPosition) =>
              decode(buffer, start + offset, start, position)
          : (buffer: Buffer, start: number, position: RecordPosition) =>
              this.isFlagSet(buffer, start, nullBit)
                ? null
                : decode(buffer, start + offset, start, position);
      return `    ${JSON.stringify(step.name)}: field${index}(buffer, start, position),`;
    });
    const body = [
      'return function decodeRecord(buffer, start, position) {',
      '  return {',
      ...properties,
      '  };',
      '};',
    ].join('\n');
    return compileGenerated(body, bindings);
  }

  private decodeInLoop(buffer: Buffer, start: number, position: RecordPosition): DataRecord {
    const record: DataRecord = {};
    for (const step of this.steps) {
      const isNull = step.nullBit !== undefined && this.isFlagSet(buffer, start, step.nullBit);
      const value = isNull ? null : step.decode(buffer, start + step.offset, start, position);
      if (step.name === '__proto__') setRecordField(record, step.name, value);
      else record[step.name] = value;
    }
    return record;
  }

  private chooseDecode(field: DbfField): FieldDecode {
    const length = field.length;
    switch (field.type) {
      case 'C':
        return (buffer, at, _, position) =>
          this.decodeCharacter(buffer, at, at + length, field, position);
      case 'V':
        return (buffer, at, start, position) =>
          this.decodeVarchar(buffer, at, at + length, field, start, position);
      case 'N':
      case 'F':
        return (buffer, at, _, position) =>
          this.decodeNumber(buffer, at, at + length, field, position);
      case 'D':
        return (buffer, at, _, position) => this.decodeDate(buffer, at, field, position);
      case 'L':
        return (buffer, at, _, position) => this.decodeLogical(buffer, at, field, position);
      case 'I':
        return (buffer, at) => buffer.readInt32LE(at);
      case 'Y':
        return (buffer, at) =>
          (buffer.readInt32LE(at + 4) * 0x1_0000_0000 + buffer.readUInt32LE(at)) / 10_000;
      case 'B':
        return (buffer, at) => buffer.readDoubleLE(at);
      case 'T':
        return (buffer, at, _, position) => this.decodeDateTime(buffer, at, field, position);
      case 'M':
        return (buffer, at, _, position) =>
          decodeMemoReference(buffer, at, at + length, field, (text) =>
            this.invalid(field, position, text),
          );
      case '0':
        return () => undefined;
    }
  }

  private isFlagSet(buffer: Buffer, start: number, bit: number): boolean {
    const flags = this.nullFlags!;
    if (bit >> 3 >= flags.length) return false;
    const byte = buffer[start + flags.offsetInRecord + (bit >> 3)]!;
    return (byte & (1 << (bit & 7))) !== 0;
  }

  /** Trims trailing spaces and NULs, keeps leading spaces; an empty value is null. */
  private decodeCharacter(
    buffer: Buffer,
    at: number,
    end: number,
    field: DbfField,
    position: RecordPosition,
  ) {
    while (end > at && (buffer[end - 1] === 0x20 || buffer[end - 1] === 0x00)) end--;
    if (end === at) return null;
    return this.decodeFieldText(buffer, at, end, field, position);
  }

  /** Decodes the text of a C or V field, replacing NULs inside it with spaces. */
  private decodeFieldText(
    buffer: Buffer,
    at: number,
    end: number,
    field: DbfField,
    position: RecordPosition,
  ) {
    // One pass finds the first NUL and, in `bits`, whether any byte before it is above 0x7f.
    let firstNul = at;
    let bits = 0;
    for (; firstNul < end; firstNul++) {
      const byte = buffer[firstNul]!;
      if (byte === 0x00) break;
      bits |= byte;
    }
    if (firstNul === end) return this.decodeRange(buffer, at, end, bits < 0x80, field, position);

    // Copy, because the chunk is reused for the next records.
    const copy = Buffer.from(buffer.subarray(at, end));
    let count = 0;
    for (let i = firstNul - at; i < copy.length; i++) {
      if (copy[i] !== 0x00) continue;
      copy[i] = 0x20;
      count++;
    }
    const offset = position.offset + field.offsetInRecord + (firstNul - at);
    this.warnNul(field, position, count, offset);
    return this.decodeString(copy, field, position);
  }

  private warnNul(field: DbfField, position: RecordPosition, count: number, offset: number) {
    if (this.options.onWarning === undefined) return;
    const { message } = dbfMessage('DBF_NUL_IN_TEXT', {
      record: position.record,
      name: field.name,
      count,
      offset,
    });
    this.options.onWarning('DBF_NUL_IN_TEXT', message, {
      file: this.file,
      record: position.record,
      field: field.name,
      offset,
    });
  }

  private decodeVarchar(
    buffer: Buffer,
    at: number,
    end: number,
    field: DbfField,
    start: number,
    position: RecordPosition,
  ) {
    if (field.varLengthBit === undefined || !this.isFlagSet(buffer, start, field.varLengthBit)) {
      return this.decodeCharacter(buffer, at, end, field, position);
    }
    // A varchar value shorter than its field keeps its length in the field's last byte.
    const length = Math.min(buffer[end - 1]!, field.length - 1);
    return this.decodeFieldText(buffer, at, at + length, field, position);
  }

  /**
   * Decodes `buffer[at, end)` as {@link decodeString} does, given whether all its bytes are below
   * 0x80. ASCII text, which decodes the same in every code page, and text in single-byte code
   * pages are read from the record buffer. No Buffer of the range is made and no native call
   * tests it for ASCII: on short fields, those cost more than the decoding itself.
   */
  private decodeRange(
    buffer: Buffer,
    at: number,
    end: number,
    isAsciiRange: boolean,
    field: DbfField,
    position: RecordPosition,
  ): string {
    if (isAsciiRange) return buffer.toString('latin1', at, end);
    const codePage = this.codePage;
    if (codePage === undefined || codePage === 'utf-8') {
      return this.decodeString(buffer.subarray(at, end), field, position);
    }
    const text = decodeSingleByteRange(buffer, at, end, codePage);
    const unmappable = text.indexOf('\uFFFD');
    if (unmappable >= 0) {
      this.reportUnmappable(buffer.subarray(at, end), unmappable, field, position, false);
    }
    return text;
  }

  /**
   * Decodes text; without a known code page only ASCII is accepted (no silent Latin-1). A byte
   * that the code page has no character for becomes U+FFFD and warns, or throws when strict.
   * `isMemo` marks text from the memo file, whose byte offsets are not offsets in the table.
   */
  decodeString(bytes: Buffer, field: DbfField, position: RecordPosition, isMemo = false): string {
    if (this.codePage === undefined && !isAscii(bytes)) {
      const fileOffset = position.offset + field.offsetInRecord;
      throw dbfError(
        'DBF_CODE_PAGE_UNKNOWN',
        {
          where: `record ${position.record}, field ${field.name}`,
          offset: fileOffset,
          languageDriver: this.languageDriver,
        },
        { file: this.file, offset: fileOffset, record: position.record, field: field.name },
      );
    }
    const text = decodeText(bytes, this.codePage ?? 'utf-8');
    if (this.codePage === 'utf-8') {
      // A U+FFFD in the text may be stored as such, so the bytes are checked, not the text.
      if (!isUtf8(bytes))
        this.reportUnmappable(bytes, findInvalidUtf8(bytes, true), field, position, isMemo);
    } else if (this.codePage !== undefined && text.includes('\uFFFD')) {
      // Single-byte code pages decode each byte to one UTF-16 unit, so the index is the byte's.
      this.reportUnmappable(bytes, text.indexOf('\uFFFD'), field, position, isMemo);
    }
    return text;
  }

  /**
   * Warns about, or in a strict read throws for, the first unmappable byte of a value, which is
   * at `index` in `bytes`.
   */
  private reportUnmappable(
    bytes: Buffer,
    index: number,
    field: DbfField,
    position: RecordPosition,
    isMemo: boolean,
  ): void {
    const offset = isMemo ? undefined : position.offset + field.offsetInRecord + index;
    const where = isMemo ? `at byte ${index} of the memo text` : `at byte ${offset}`;
    const parameters = {
      record: position.record,
      name: field.name,
      byte: bytes[index]!,
      where,
      codePage: this.codePage!,
      strict: this.options.strict === true,
    };
    const context = { file: this.file, offset, record: position.record, field: field.name };
    if (this.options.strict) throw dbfError('DBF_BYTE_UNMAPPABLE', parameters, context);
    const { message } = dbfMessage('DBF_BYTE_UNMAPPABLE', parameters);
    this.options.onWarning?.('DBF_BYTE_UNMAPPABLE', message, context);
  }

  private decodeNumber(
    buffer: Buffer,
    at: number,
    end: number,
    field: DbfField,
    position: RecordPosition,
  ) {
    let from = at;
    while (from < end && (buffer[from] === 0x20 || buffer[from] === 0x00)) from++;
    while (end > from && (buffer[end - 1] === 0x20 || buffer[end - 1] === 0x00)) end--;
    // GDAL writes a null number as asterisks, which dBase also shows for an overflowed value.
    if (from === end || isAsterisks(buffer, from, end)) return null;

    // dBase writes N values in fixed-point notation only; F values may carry an exponent.
    const value = parseDecimal(buffer, from, end, field.type === 'F');
    if (Number.isNaN(value))
      throw this.invalid(field, position, buffer.toString('latin1', from, end));
    return value;
  }

  private decodeDate(buffer: Buffer, at: number, field: DbfField, position: RecordPosition) {
    if (isBlank(buffer, at, at + 8, true)) return null;
    const key = readDigits(buffer, at, 8);
    const cached = this.dates.get(key);
    if (cached !== undefined) return cached;

    const text = buffer.toString('latin1', at, at + 8);
    // Year 0 does not exist: dbfread rejects it, and dBase counts years from 1.
    const year = Math.floor(key / 10_000);
    if (
      Number.isNaN(key) ||
      year < 1 ||
      !isCalendarDate(year, Math.floor(key / 100) % 100, key % 100)
    )
      throw this.invalid(field, position, text);
    const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
    // Tables repeat few distinct dates, so a small cache saves building the same text again.
    if (this.dates.size >= DATE_CACHE_SIZE) this.dates.clear();
    this.dates.set(key, iso);
    return iso;
  }

  private decodeLogical(buffer: Buffer, at: number, field: DbfField, position: RecordPosition) {
    switch (buffer[at]) {
      case 0x54: // T
      case 0x74: // t
      case 0x59: // Y
      case 0x79: // y
        return true;
      case 0x46: // F
      case 0x66: // f
      case 0x4e: // N
      case 0x6e: // n
        return false;
      case 0x3f: // ?
      case 0x20:
      case 0x00:
        return null;
      default:
        throw this.invalid(field, position, buffer.toString('latin1', at, at + 1));
    }
  }

  /** Visual FoxPro datetime: Julian day number and milliseconds since midnight, both int32 LE. */
  private decodeDateTime(buffer: Buffer, at: number, field: DbfField, position: RecordPosition) {
    if (isBlank(buffer, at, at + 8, false)) return null;
    const day = buffer.readInt32LE(at);
    const milliseconds = buffer.readInt32LE(at + 4);
    // Visual FoxPro keeps whole seconds; stored values are sometimes 1 ms short of one.
    const time =
      (day - JULIAN_DAY_OF_UNIX_EPOCH) * MS_PER_DAY + Math.round(milliseconds / 1000) * 1000;
    const date = new Date(time);
    // A day number beyond Date's range of ±100 million days gives an invalid Date, whose year
    // is NaN and whose toISOString() throws, so its time is checked, not only the year.
    const year = date.getUTCFullYear();
    if (
      milliseconds < 0 ||
      milliseconds > MS_PER_DAY ||
      Number.isNaN(date.getTime()) ||
      !(year >= 1 && year <= 9999)
    ) {
      throw this.invalid(field, position, buffer.toString('hex', at, at + 8));
    }
    return date.toISOString().slice(0, 19);
  }

  private invalid(field: DbfField, position: RecordPosition, text: string) {
    const offset = position.offset + field.offsetInRecord;
    return dbfError(
      'DBF_VALUE_INVALID',
      { record: position.record, name: field.name, type: field.type, offset, text },
      { file: this.file, offset, record: position.record, field: field.name },
    );
  }
}

/**
 * Sets a field of a record as an own property. Assigning `record['__proto__']` would replace the
 * object's prototype and lose the field, so a table's field of that name is defined instead;
 * records stay plain objects, as JSONata and the other blocks expect.
 */
export function setRecordField(record: DataRecord, name: string, value: unknown): void {
  Object.defineProperty(record, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Memo block number: 10 ASCII digits in dBase and FoxPro 2, an int32 LE in Visual FoxPro. */
function decodeMemoReference(
  buffer: Buffer,
  at: number,
  end: number,
  field: DbfField,
  invalid: (text: string) => Error,
): MemoReference | null {
  const block = parseMemoBlock(buffer, at, end, field);
  if (Number.isNaN(block)) throw invalid(buffer.toString('latin1', at, end).trim());
  return block === 0 ? null : { block };
}

/**
 * Returns the memo block number of `field` in the record at `start`, or undefined for a blank
 * or unreadable reference.
 */
export function readMemoBlock(buffer: Buffer, start: number, field: DbfField): number | undefined {
  const at = start + field.offsetInRecord;
  const block = parseMemoBlock(buffer, at, at + field.length, field);
  return Number.isNaN(block) || block === 0 ? undefined : block;
}

/** Parses a memo reference: 0 for a blank one, NaN for one that is not a number. */
function parseMemoBlock(buffer: Buffer, at: number, end: number, field: DbfField): number {
  if (field.length === 4) return buffer.readUInt32LE(at);
  let from = at;
  while (from < end && (buffer[from] === 0x20 || buffer[from] === 0x00)) from++;
  while (end > from && (buffer[end - 1] === 0x20 || buffer[end - 1] === 0x00)) end--;
  if (from === end) return 0;
  const text = buffer.toString('latin1', from, end);
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

function isBlank(buffer: Buffer, from: number, to: number, zeroDigitsAreBlank: boolean): boolean {
  for (let i = from; i < to; i++) {
    const byte = buffer[i];
    if (byte !== 0x20 && byte !== 0x00 && !(zeroDigitsAreBlank && byte === 0x30)) return false;
  }
  return true;
}

function isAsterisks(buffer: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buffer[i] !== 0x2a) return false;
  return true;
}
