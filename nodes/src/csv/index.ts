export {
  createCsvEncoder,
  type CsvEncoder,
  type CsvEncoderOptions,
  type CsvLineEnding,
  type CsvWarningDetails,
  type OnCsvWarning,
} from './csv-writer.js';
export { CSV_ENCODINGS, type CsvEncoding } from './text-encoding.js';
