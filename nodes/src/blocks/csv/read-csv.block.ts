import { z } from 'zod';
import { defineBlock } from '../../contract/block.js';
import { DEFAULT_MAX_RECORD_LENGTH } from '../../csv/csv-tokenizer.js';
import { readCsv, type CsvDialectReport } from '../../csv/csv-reader.js';
import { reportEncoding, sendRecordsOfFiles, textEncodingParameters } from '../text/text-input.js';

const oneCharacter = (value: string) => value.length === 1 && value !== '\r' && value !== '\n';

const parameters = z.object({
  delimiter: z
    .string()
    .refine((value) => value === 'auto' || oneCharacter(value), 'auto or one character')
    .default('auto')
    .meta({
      title: 'Delimiter',
      description:
        'One character between cells, e.g. ; , | or a tab, or "auto" to detect ; tab | or , ' +
        'from the first rows. A first line sep=; names the delimiter and is skipped. A comma ' +
        'found only inside numbers such as 1,5 is a decimal comma, so such a file is one column; ' +
        'when every row is two whole numbers, the run report says so, and "," reads two columns.',
    }),
  quoteChar: z
    .string()
    .refine(
      (value) => value === 'auto' || value === 'none' || oneCharacter(value),
      'auto, none or one character',
    )
    .default('auto')
    .meta({
      title: 'Quote character',
      description:
        'Character that encloses cells holding the delimiter or a line break, "none" for text ' +
        'without quoting, or "auto": " unless the file has none and its rows line up only when ' +
        "apostrophes quote cells, as in 'a;b';c.",
    }),
  escapeChar: z
    .string()
    .max(1)
    .default('')
    .meta({
      title: 'Escape character',
      description:
        'Character that escapes a quote inside a quoted cell, e.g. \\ for files that write \\". ' +
        'Detection of the delimiter and header reads quoted cells with it too. Empty (the ' +
        'default) when quotes are doubled, as RFC 4180 and Excel do.',
    }),
  header: z
    .enum(['auto', 'yes', 'no'])
    .default('auto')
    .meta({
      title: 'Header row',
      description:
        '"yes" when the first row names the columns, "no" to name them field1, field2, .... ' +
        '"auto" assumes a header unless the first row has numbers or dates or repeats a name.',
    }),
  ...textEncodingParameters,
  values: z
    .enum(['text', 'czech'])
    .default('text')
    .meta({
      title: 'Values',
      description:
        '"text" keeps every cell as text. "czech" reads numbers with a decimal comma and a ' +
        'space or dot between thousands (-21.419,06 is -21419.06) and dates as d.M.yyyy ' +
        '(8.1.2024 becomes 2024-01-08).',
    }),
  textColumns: z.array(z.string().min(1)).default([]).meta({
    title: 'Columns kept as text',
    description: 'Columns that the "czech" profile leaves as text, e.g. codes such as 12345.',
  }),
  formulaGuard: z
    .enum(['keep', 'remove'])
    .default('keep')
    .meta({
      title: 'Formula guard',
      description:
        '"remove" takes one leading \' off every cell and header name, which undoes the formula ' +
        'guard of Write CSV (on in its custom, excel-cz and utf-8-bom presets), so that such a ' +
        'file reads back exactly as it was written. "keep" reads cells as they are.',
    }),
  wrongCellCount: z
    .enum(['fail', 'skip', 'keep'])
    .default('fail')
    .meta({
      title: 'Rows of the wrong width',
      description:
        'A row with more or fewer cells than the header: "fail" stops the run, "skip" drops ' +
        'the row, "keep" passes it on (extra cells as fieldN). Each is reported with its line.',
    }),
  maxRecordLength: z
    .number()
    .int()
    .min(1)
    .default(DEFAULT_MAX_RECORD_LENGTH)
    .meta({
      title: 'Maximum record length',
      description:
        'Characters one row may have (default 64 Mi); a longer row fails the read, which ' +
        'catches an unclosed quote before it fills memory.',
    }),
});

/** Read CSV: parses CSV files into records, detecting the dialect the user did not set. */
export const readCsvBlock = defineBlock({
  type: 'csv.read',
  version: 1,
  title: 'Read CSV',
  category: 'Files',
  icon: 'file-spreadsheet',
  help: {
    summary:
      'Reads CSV files of any dialect as records, streaming in constant memory. The delimiter, ' +
      'quote character, header row and encoding are detected unless set, and the run report ' +
      'shows what was detected, so that you can pin it. CRLF, LF and CR line breaks all work.',
    inputs: { file: 'CSV files, e.g. from Read File or a download.' },
    outputs: {
      records: 'One record per row, keyed by the header names (or field1, field2, ...).',
    },
  },
  inputs: [{ name: 'file', kind: 'files', label: 'File' }],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters,
  async run(context) {
    const { params } = context;
    // The first file's columns are announced, as Write CSV takes its columns from the first record.
    let isAnnounced = false;
    const announceColumns = (columns: readonly string[]) => {
      if (isAnnounced) return;
      isAnnounced = true;
      context.outputs.records!.announceColumns(columns);
    };
    await sendRecordsOfFiles(context, (file, bytes) =>
      readCsv(bytes, {
        file: file.name,
        delimiter: params.delimiter === 'auto' ? undefined : params.delimiter,
        quoteChar: quoteCharOption(params.quoteChar),
        escapeChar: params.escapeChar,
        header: params.header === 'auto' ? undefined : params.header === 'yes',
        encoding: params.encoding,
        fallbackEncoding: params.fallbackEncoding,
        strictEncoding: params.strictEncoding,
        values: params.values,
        formulaGuard: params.formulaGuard,
        textColumns: params.textColumns,
        cellCount: params.wrongCellCount,
        maxRecordLength: params.maxRecordLength,
        onWarning: (code, message, details) => context.warn(code, message, details),
        onColumns: announceColumns,
        onDialect: (dialect) => {
          reportEncoding(context, file.name, dialect.encoding);
          reportDialect(context, file.name, dialect);
        },
      }),
    );
  },
});

/** Maps the parameter to the reader's option: undefined detects, '' reads without quoting. */
function quoteCharOption(parameter: string): string | undefined {
  if (parameter === 'auto') return undefined;
  return parameter === 'none' ? '' : parameter;
}

function reportDialect(
  context: Parameters<typeof readCsvBlock.run>[0],
  file: string,
  dialect: CsvDialectReport,
): void {
  const { delimiter, quoteChar, header, detected } = dialect;
  context.logger.info('csv dialect', { file, delimiter, quoteChar, header, detected });
  if (detected.length === 0) return;
  const shown = (text: string) => (text === '\t' ? 'tab' : JSON.stringify(text));
  const doubt = dialect.isCommaAmbiguous
    ? '. Every row is also two whole numbers split by a comma (1,5), read here as one column ' +
      'with a decimal comma; set the delimiter to , if the file has two columns'
    : '';
  context.warn(
    'CSV_DIALECT_DETECTED',
    `${file}: detected ${detected.join(', ')}: delimiter ${shown(delimiter)}, quote ` +
      `${shown(quoteChar)}, header ${header ? 'yes' : 'no'}, encoding ` +
      `${dialect.encoding.encoding}; set them in the block to pin them${doubt}`,
    {
      file,
      delimiter,
      quoteChar,
      header,
      encoding: dialect.encoding.encoding,
      ...(dialect.isCommaAmbiguous ? { isCommaAmbiguous: true } : {}),
    },
  );
}
