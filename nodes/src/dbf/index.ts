export * from './reader.js';
export * from './dbf-writer.js';
export type { DbfField, DbfFieldType, DbfHeader } from './header.js';
export { recordFieldNames } from './header.js';
export { dbfMessages, type DbfErrorCode } from './dbf-errors.js';
