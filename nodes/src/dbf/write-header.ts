import { languageDriverForCodePage, type CodePage } from '../codepages/index.js';
import type { DbfWriteFormat, WriteLayout } from './write-fields.js';

const FIELD_LIST_END = 0x0d;
const DESCRIPTOR_LENGTH = 32;
const VISUAL_FOXPRO_BACKLINK_LENGTH = 263;
/** Table flag of Visual FoxPro (byte 28) for a table with a memo file. */
const VISUAL_FOXPRO_HAS_MEMO = 0x02;
/** Field flags of Visual FoxPro (descriptor byte 18). */
const FIELD_SYSTEM = 0x01;
const FIELD_NULLABLE = 0x02;
const FIELD_BINARY = 0x04;
const FIELD_AUTOINCREMENT = 0x0c;

/** Header fields that do not come from the field list. */
export type HeaderOptions = {
  codePage: CodePage;
  lastUpdate?: Date;
  /** Store field names as given instead of upper case, e.g. those copied from a template. */
  keepNameCase?: boolean;
};

/**
 * Version byte. Visual FoxPro marks a table with varchar fields 0x32 and one with autoincrement
 * fields 0x31, as the corpus tables show.
 * NOTE: a table with both gets 0x32; no corpus table has both, so that choice is unconfirmed.
 */
function versionByte(format: DbfWriteFormat, layout: WriteLayout, hasMemo: boolean): number {
  if (format === 'visual-foxpro') {
    if (layout.columns.some((column) => column.type === 'V')) return 0x32;
    return layout.columns.some((column) => column.autoIncrement !== undefined) ? 0x31 : 0x30;
  }
  if (!hasMemo) return 0x03;
  return format === 'dbase3' ? 0x83 : 0xf5;
}

/**
 * Builds the header of a table with a record count of 0, which the writer patches when it
 * closes: the version and date, the field descriptors with the hidden `_NullFlags` field last,
 * and for Visual FoxPro the empty 263-byte backlink to a database container.
 */
export function buildHeader(
  layout: WriteLayout,
  format: DbfWriteFormat,
  hasMemo: boolean,
  options: HeaderOptions,
): Buffer {
  const isVisualFoxPro = format === 'visual-foxpro';
  const descriptors = layout.columns.length + (layout.nullFlags === undefined ? 0 : 1);
  const fieldListEnd = DESCRIPTOR_LENGTH + descriptors * DESCRIPTOR_LENGTH;
  const backlink = isVisualFoxPro ? VISUAL_FOXPRO_BACKLINK_LENGTH : 0;
  const header = Buffer.alloc(fieldListEnd + 1 + backlink);
  const date = options.lastUpdate ?? new Date();
  header[0] = versionByte(format, layout, hasMemo);
  header[1] = date.getFullYear() - 1900;
  header[2] = date.getMonth() + 1;
  header[3] = date.getDate();
  header.writeUInt16LE(header.length, 8);
  header.writeUInt16LE(layout.recordLength, 10);
  if (isVisualFoxPro && hasMemo) header[28] = VISUAL_FOXPRO_HAS_MEMO;
  header[29] = languageDriverForCodePage(options.codePage);

  const keepNameCase = options.keepNameCase ?? false;
  layout.columns.forEach((column, index) => {
    let flags = column.nullable ? FIELD_NULLABLE : 0;
    // Visual FoxPro marks the fields it stores in binary, as the corpus tables show.
    if (isVisualFoxPro && 'IYBT'.includes(column.type)) flags |= FIELD_BINARY;
    if (column.autoIncrement !== undefined) flags |= FIELD_AUTOINCREMENT;
    const name = keepNameCase ? column.name : column.name.toUpperCase();
    writeDescriptor(header, index, { ...column, name, flags }, isVisualFoxPro);
    if (column.autoIncrement !== undefined) {
      writeAutoIncrement(header, index, column.autoIncrement.next, column.autoIncrement.step);
    }
  });
  if (layout.nullFlags !== undefined) {
    const { offset, length } = layout.nullFlags;
    const nullFlags = { name: '_NullFlags', type: '0', offset, length, decimals: 0 };
    const flags = FIELD_SYSTEM | FIELD_BINARY;
    writeDescriptor(header, layout.columns.length, { ...nullFlags, flags }, isVisualFoxPro);
  }
  header[fieldListEnd] = FIELD_LIST_END;
  return header;
}

type Descriptor = {
  name: string;
  type: string;
  offset: number;
  length: number;
  decimals: number;
  flags: number;
};

function writeDescriptor(
  header: Buffer,
  index: number,
  field: Descriptor,
  isVisualFoxPro: boolean,
) {
  const at = DESCRIPTOR_LENGTH + index * DESCRIPTOR_LENGTH;
  header.write(field.name, at, 'latin1');
  header.write(field.type, at + 11, 'latin1');
  // Visual FoxPro reads the field's position in the record from the descriptor.
  if (isVisualFoxPro) header.writeUInt32LE(field.offset, at + 12);
  header[at + 16] = field.length;
  header[at + 17] = field.decimals;
  header[at + 18] = field.flags;
}

/**
 * Writes the next autoincrement value (int32 at descriptor byte 19) and the step (byte 23) of
 * the field at `index`; the writer calls it again on close with the value after the last record.
 */
export function writeAutoIncrement(header: Buffer, index: number, next: number, step: number) {
  const at = DESCRIPTOR_LENGTH + index * DESCRIPTOR_LENGTH;
  header.writeInt32LE(next, at + 19);
  header[at + 23] = step;
}
