export {
  createCsvEncoder,
  type CsvEncoder,
  type CsvEncoderOptions,
  type CsvLineEnding,
  type CsvWarningDetails,
  type OnCsvWarning,
} from './csv-writer.js';
export { CSV_ENCODINGS, type CsvEncoding } from './text-encoding.js';
export {
  CSV_PRESETS,
  resolveCsvPreset,
  type CsvPreset,
  type CsvPresetOptions,
} from './csv-presets.js';
export {
  readCsv,
  type CellCountAction,
  type CsvDialectReport,
  type CsvReaderOptions,
  type CsvValueProfile,
  type FormulaGuardAction,
} from './csv-reader.js';
export { CsvTokenizer, DEFAULT_MAX_RECORD_LENGTH, type CsvRow } from './csv-tokenizer.js';
