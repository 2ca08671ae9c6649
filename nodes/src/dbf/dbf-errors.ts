import { FlowAuthorError, type ErrorContext } from '../contract/errors.js';

/** Location of an error in a DBF file. */
export type DbfErrorContext = Required<Pick<ErrorContext, 'file'>> &
  Pick<ErrorContext, 'offset' | 'record' | 'field'>;

const codePageHint =
  'Set the code page of the Read DBF block (in the e-shop template, the CODE_PAGE variable): ' +
  '852 for most Czech DOS programs, 1250 for Windows programs, kamenicky for old Czech DOS ' +
  'programs.';

/**
 * Messages of the DBF reader and writer, one per stable code. Each returns the text, a hint and
 * the error class to raise, so callers pass only the named values.
 */
export const dbfMessages = {
  DBF_TOO_SHORT: (p: { size: number; needed: number; what: string }) => ({
    message: `the file has ${p.size} bytes, but ${p.what} needs ${p.needed}`,
    hint: 'The file is cut short or is not a DBF table; copy it again from its source.',
  }),
  DBF_TRUNCATED: (p: { promised: number; held: number }) => ({
    message: `truncated: header says ${p.promised} records, file holds ${p.held}`,
    hint:
      'The file was cut short or its header is wrong. Copy it again, or turn on lenient ' +
      'reading to read the records that are complete.',
  }),
  DBF_MORE_RECORDS_THAN_HEADER: (p: { declared: number; inFile: number; offset: number }) => ({
    message:
      `the header declares ${p.declared} records, but the file contains ${p.inFile}; the ` +
      `${p.inFile - p.declared} records from byte ${p.offset} on are not counted`,
    hint:
      'The program that wrote the table left a record count that is too low in its header, or ' +
      'is still writing it. Export the table again, or turn on lenient reading to read only ' +
      'the counted records, as dBase does.',
  }),
  DBF_RECORD_ZERO_BYTES: (p: { record: number; offset: number }) => ({
    message:
      `record ${p.record} at byte offset ${p.offset} contains only zero bytes, so the table is ` +
      'damaged',
    hint:
      'The file was preallocated or copied as a sparse file, or its header counts too many ' +
      'records. Copy the table again from its source, or turn on lenient reading to read the ' +
      'records before this one.',
  }),
  DBF_VERSION_UNKNOWN: (p: { version: number }) => ({
    message: `unknown DBF version byte 0x${hex(p.version)} at byte 0`,
    hint: 'Save the table as dBase III, dBase IV, FoxPro 2 or Visual FoxPro.',
  }),
  DBF_VERSION_UNSUPPORTED: (p: { version: number; name: string }) => ({
    message: `unsupported DBF version: ${p.name} (version byte 0x${hex(p.version)})`,
    hint:
      'Kurýr reads dBase III, dBase IV, FoxPro 2 and Visual FoxPro tables; save the table in ' +
      'one of those formats.',
  }),
  DBF_HEADER_LENGTH_MISMATCH: (p: { declared: number; needed: number; parts: string }) => ({
    message:
      `the header length field says ${p.declared} bytes, but ${p.parts} ` +
      `needs ${p.needed} bytes`,
    hint: 'The program that wrote this table made a broken header; export the table again.',
  }),
  DBF_RECORD_LENGTH_MISMATCH: (p: { declared: number; needed: number }) => ({
    message:
      `the record length field says ${p.declared} bytes, but the fields add up to ${p.needed} ` +
      'bytes (with the deletion flag)',
    hint: 'The program that wrote this table made a broken header; export the table again.',
  }),
  DBF_FIELD_TYPE_UNKNOWN: (p: { name: string; type: string; offset: number }) => ({
    message:
      `field ${p.name} has type "${p.type}", which Kurýr cannot read ` +
      `(field descriptor at byte ${p.offset})`,
    hint:
      'Remove the field or change its type to C, N, F, D, L, I, Y, B, T or M in the program ' +
      'that writes the table, or export the table again without it.',
  }),
  DBF_FIELD_INVALID: (p: { name: string; type: string; length: number; offset: number }) => ({
    message:
      `field ${p.name} of type "${p.type}" has an invalid length of ${p.length} bytes ` +
      `(field descriptor at byte ${p.offset})`,
    hint: 'The table header is damaged; export the table again.',
  }),
  DBF_FIELD_DECIMALS_INVALID: (p: {
    name: string;
    type: string;
    length: number;
    decimals: number;
    offset: number;
  }) => ({
    message:
      `field ${p.name} of type "${p.type}" declares ${p.decimals} decimals, but is only ` +
      `${p.length} bytes long (field descriptor at byte ${p.offset})`,
    hint: 'The table header is damaged; export the table again.',
  }),
  DBF_FIELD_NAME_REPEATED: (p: { name: string; renamed: string; offset: number }) => ({
    message:
      `the table has more than one field named ${p.name}, so the one at byte ${p.offset} is ` +
      `read as ${p.renamed}`,
    hint: 'Use the new name in later blocks, or rename the field in the program that writes the table.',
  }),
  DBF_FIELDS_MISSING: (p: { table: string; missing: string[]; present: string[] }) => ({
    message:
      `${p.table} is missing the fields ${p.missing.join(', ')} ` +
      `(the table has ${listNames(p.present)})`,
    hint:
      'Check that the path names the right table, or correct the names in the Required fields ' +
      'parameter.',
  }),
  DBF_VALUE_INVALID: (p: {
    record: number;
    name: string;
    type: string;
    offset: number;
    text: string;
  }) => ({
    message:
      `record ${p.record}, field ${p.name}: cannot read "${printable(p.text)}" as ` +
      `${typeNames[p.type] ?? p.type} ` +
      `(byte ${p.offset})`,
    hint: 'Correct the value in the program that writes the table, or export the table again.',
  }),
  DBF_NUL_IN_TEXT: (p: { record: number; name: string; count: number; offset: number }) => ({
    message:
      `record ${p.record}, field ${p.name}: replaced ${p.count} NUL ` +
      `${p.count === 1 ? 'byte' : 'bytes'} inside the text with spaces (first at byte ${p.offset})`,
    hint: 'The program that writes the table stores NUL bytes in text; correct the value there.',
  }),
  DBF_RECORD_FLAG_INVALID: (p: { record: number; flag: number; offset: number }) => ({
    message:
      `record ${p.record} starts with byte 0x${hex(p.flag)} at byte ${p.offset}, where a ` +
      'deletion flag (space or "*") belongs',
    hint: 'The record length or the header length is wrong, so the table is damaged.',
  }),
  DBF_CODE_PAGE_OVERRIDDEN: (p: { declared: string; chosen: string }) => ({
    message: `the table declares code page ${p.declared}, but it is read as ${p.chosen} as the block sets`,
    hint: 'Leave the code page on auto unless the declared one is wrong; check the text for wrong letters.',
  }),
  DBF_CODE_PAGE_UNKNOWN: (p: { where: string; offset: number; languageDriver: number }) => ({
    message:
      `${p.where} contains non-ASCII text (byte ${p.offset}), but the table declares no known ` +
      `code page (language driver byte 0x${hex(p.languageDriver)})`,
    hint: codePageHint,
  }),
  DBF_CODE_PAGE_GUESSED: (p: { guessed: string; records: number }) => ({
    message:
      `the table declares no code page, so its text is read as code page ${p.guessed}, guessed ` +
      `from the first ${p.records} records; set the code page of the Read DBF block to be sure`,
    hint: codePageHint,
  }),
  DBF_BYTE_UNMAPPABLE: (p: {
    record: number;
    name: string;
    byte: number;
    where: string;
    codePage: string;
    /** True when the read fails on the byte instead of reading it as U+FFFD. */
    strict: boolean;
  }) => ({
    message:
      `record ${p.record}, field ${p.name}: byte 0x${hex(p.byte)} ${p.where} has no character ` +
      `in code page ${p.codePage}` +
      (p.strict ? '' : ' and is read as U+FFFD'),
    hint:
      'The table uses another code page or the value is damaged. Set the code page of the Read ' +
      'DBF block, or correct the value in the program that writes the table.' +
      (p.strict
        ? ' To read such bytes as U+FFFD instead, turn off "Fail on unmappable bytes".'
        : ''),
  }),
  DBF_CPG_UNKNOWN: (p: { cpg: string; content: string }) => ({
    message:
      `the code page file ${p.cpg} contains ${p.content}, which names no code page Kurýr ` +
      'reads, so it is ignored',
    hint:
      'Write a code page number such as 852, 1250 or 1252, or UTF-8, into the .cpg file, or ' +
      'set the code page of the Read DBF block.',
  }),
  DBF_MEMO_FILE_MISSING: (p: { expected: string }) => ({
    message: `the table has memo fields, but its memo file ${p.expected} was not found`,
    hint:
      'Copy the memo file together with the table, or turn on lenient reading to read memo ' +
      'fields as empty.',
  }),
  DBF_MEMO_INVALID: (p: { record: number; name: string; block: number; reason: string }) => ({
    message: `record ${p.record}, field ${p.name}: memo block ${p.block} ${p.reason}`,
    hint: 'The memo file does not belong to this table or is damaged; copy both files again.',
  }),
  DBF_WRITE_VALUE_INVALID: (p: {
    record: number;
    name: string;
    reason: string;
    hint?: string;
  }) => ({
    message: `record ${p.record}, field ${p.name}: ${p.reason}`,
    hint:
      p.hint ??
      'Change the value or the field definition, or let the Write DBF block truncate values ' +
        'that do not fit and report them.',
  }),
  DBF_WRITE_VALUE_FITTED: (p: { record: number; name: string; change: string }) => ({
    message: `record ${p.record}, field ${p.name}: ${p.change}`,
    hint: 'Widen the field or shorten the value so that nothing is cut.',
  }),
  DBF_WRITE_FIELDS_INVALID: (p: { reason: string }) => ({
    message: `invalid DBF field list: ${p.reason}`,
    hint:
      'Field names have 1 to 10 ASCII letters, digits or underscores; check the types and ' +
      'widths against the chosen table format.',
  }),
} satisfies Record<string, (parameters: never) => { message: string; hint: string }>;

export type DbfErrorCode = keyof typeof dbfMessages;

const typeNames: Record<string, string> = {
  N: 'a number',
  F: 'a number',
  D: 'a date (YYYYMMDD)',
  L: 'a logical value',
  T: 'a date and time',
  Y: 'a currency amount',
  I: 'an integer',
};

/** Replaces control characters, so that damaged bytes cannot break a log line. */
function printable(text: string): string {
  return Array.from(text, (character) => {
    const code = character.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? '?' : character;
  }).join('');
}

/** Field names shown in a message; a table can have 255 fields, so long lists are cut. */
const MAX_LISTED_NAMES = 20;

function listNames(names: string[]): string {
  if (names.length === 0) return 'no fields';
  if (names.length <= MAX_LISTED_NAMES) return names.join(', ');
  const more = names.length - MAX_LISTED_NAMES;
  return `${names.slice(0, MAX_LISTED_NAMES).join(', ')} and ${more} more`;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0').toUpperCase();
}

/** Returns the message and hint of a DBF message code, e.g. for a warning. */
export function dbfMessage<C extends DbfErrorCode>(
  code: C,
  parameters: Parameters<(typeof dbfMessages)[C]>[0],
): { message: string; hint: string } {
  return (dbfMessages[code] as (p: typeof parameters) => { message: string; hint: string })(
    parameters,
  );
}

/** Creates the FlowAuthorError of a DBF message code with its context. */
export function dbfError<C extends DbfErrorCode>(
  code: C,
  parameters: Parameters<(typeof dbfMessages)[C]>[0],
  context: DbfErrorContext,
  cause?: unknown,
): FlowAuthorError {
  const { message, hint } = dbfMessage(code, parameters);
  return new FlowAuthorError(code, message, { hint, context, cause, params: parameters });
}
