// English labels of the allowed values (`enum`) of the catalogue's parameters. The runtime's
// schemas list only the stored values, such as `excel-cz` or `kamenicky`; the select widgets show
// these labels instead. Keyed by block type, then by the parameter's path, where a field of a
// list item follows its list's name after a dot (`layouts.columns.type`). The catalogue-texts
// unit test demands a label for every value and reports labels of values that no longer exist.

import { codePages, pickLabels } from './catalogue-cs.js';

const codePagesEn: Record<string, string> = {
  '437': '437 – DOS, English',
  '850': '850 – DOS, Western Europe',
  '852': '852 – DOS, Central Europe (Latin 2)',
  '874': '874 – Windows, Thai',
  '1250': '1250 – Windows, Central Europe',
  '1251': '1251 – Windows, Cyrillic',
  '1252': '1252 – Windows, Western Europe',
  auto: 'Automatic',
  kamenicky: 'Kamenický (DOS)',
  mazovia: 'Mazovia (DOS, Polish)',
  'utf-8': 'UTF-8',
};

const readEncodings = pickLabels(codePagesEn, [...codePages, 'auto', 'utf-8']);
const writeEncodings = pickLabels(codePagesEn, [...codePages, 'utf-8']);
const fallbackEncodings = pickLabels(codePagesEn, [
  '437',
  '850',
  '852',
  '1250',
  '1252',
  'kamenicky',
]);
const lineEndings = { CRLF: 'CRLF (Windows)', LF: 'LF (Unix)' };
const badLines = { fail: 'Stop the run', skip: 'Skip', keep: 'Keep' };
const textFormats = { 'fixed-width': 'Fixed width', delimited: 'Delimited' };
const recordSeparators = { ...lineEndings, none: 'None (fixed record length)' };
const positions = { characters: 'Characters', bytes: 'Bytes' };

const textColumns: Record<string, Record<string, string>> = {
  'layouts.columns.type': { text: 'Text', number: 'Number', date: 'Date' },
  'layouts.columns.decimalPoint': { implied: 'None (implied)', '.': 'Dot', ',': 'Comma' },
  'layouts.columns.align': { left: 'Left', right: 'Right' },
};

const ftpConnection: Record<string, Record<string, string>> = {
  security: {
    none: 'None (plain FTP)',
    explicit: 'Explicit TLS (AUTH TLS)',
    implicit: 'Implicit TLS',
  },
  transferMode: {
    auto: 'Automatic (EPSV, else PASV)',
    epsv: 'EPSV',
    pasv: 'PASV',
    active: 'Active',
  },
  fileNameEncoding: writeEncodings,
};

const afterRun = { afterRun: { keep: 'Keep', delete: 'Delete', move: 'Move' } };
const ifExists = { ifExists: { replace: 'Replace', keep: 'Keep the existing file' } };
const upload = {
  ...ifExists,
  temporaryName: { hidden: 'Hidden (.NAME…part)', suffix: 'Visible suffix (NAME…part)' },
};

export const valueLabelsEn: Record<string, Record<string, Record<string, string>>> = {
  'dbf.read': { codePage: readEncodings },
  'csv.read': {
    header: { auto: 'Detect', yes: 'Yes', no: 'No' },
    encoding: readEncodings,
    fallbackEncoding: fallbackEncodings,
    values: { text: 'All as text', czech: 'Czech numbers and dates' },
    formulaGuard: { keep: 'Keep', remove: 'Remove' },
    wrongCellCount: badLines,
  },
  'csv.write': {
    preset: {
      custom: 'Custom',
      'excel-cz': 'Excel (Czech)',
      'shoptet-upgates': 'Shoptet, Upgates',
      'utf-8-bom': 'UTF-8 with BOM',
      'rfc-4180': 'RFC 4180',
    },
    lineEnding: lineEndings,
    encoding: {
      'utf-8': 'UTF-8',
      'utf-8-bom': 'UTF-8 with BOM',
      'windows-1250': codePagesEn['1250']!,
      cp852: codePagesEn['852']!,
      kamenicky: codePagesEn.kamenicky!,
      cp437: codePagesEn['437']!,
      cp850: codePagesEn['850']!,
      'windows-1252': codePagesEn['1252']!,
    },
  },
  'dbf.write': {
    'fields.type': {
      C: 'C – text',
      N: 'N – number',
      F: 'F – floating-point number',
      D: 'D – date',
      L: 'L – logical',
      M: 'M – memo',
      I: 'I – integer',
      Y: 'Y – currency',
      B: 'B – double',
      T: 'T – date and time',
      V: 'V – varchar',
    },
    format: { dbase3: 'dBase III', foxpro: 'FoxPro 2', 'visual-foxpro': 'Visual FoxPro' },
    codePage: pickLabels(codePagesEn, codePages),
  },
  'text.read': {
    format: textFormats,
    ...textColumns,
    recordSeparator: recordSeparators,
    positions,
    badLines,
    encoding: readEncodings,
    fallbackEncoding: fallbackEncodings,
  },
  'text.write': {
    format: textFormats,
    ...textColumns,
    recordSeparator: recordSeparators,
    positions,
    encoding: writeEncodings,
  },
  'ftp.list': ftpConnection,
  'ftp.download': { ...ftpConnection, ...afterRun },
  'ftp.upload': { ...ftpConnection, ...upload },
  'ftp.move': ftpConnection,
  'ftp.delete': ftpConnection,
  'ftp.make-folder': ftpConnection,
  'sftp.download': afterRun,
  'sftp.upload': upload,
};
