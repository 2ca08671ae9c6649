import { z } from 'zod';
import { defineBlock } from '../../contract/block.js';
import type { FileItem } from '../../contract/files.js';
import { createCsvEncoder } from '../../csv/csv-writer.js';
import { spoolRecords } from '../text/spool-records.js';
import { CSV_PRESETS, resolveCsvPreset } from '../../csv/csv-presets.js';
import { CSV_ENCODINGS } from '../../csv/text-encoding.js';

const parameters = z.object({
  fileName: z
    .string()
    .regex(/^[^/\\]+$/, 'a file name without folders')
    .default('export.csv')
    .meta({
      title: 'File name',
      description:
        'Name of the CSV file, without folders, e.g. stock.csv. Write File or an upload block ' +
        'decides where it goes.',
      expression: true,
    }),
  columns: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .meta({
      title: 'Columns',
      description:
        'Fields to write, in column order. Missing fields give empty cells and other fields are ' +
        'left out. When empty, the fields of the first record are used, and a field that only ' +
        'later records carry is left out with a warning: list the columns to write such fields.',
    }),
  preset: z
    .enum(CSV_PRESETS)
    .default('custom')
    .meta({
      title: 'Preset',
      description:
        'Options for a usual consumer; each option set below wins over the preset. "excel-cz": ' +
        '; CRLF windows-1250 and decimal comma, for Excel in Czech. "shoptet-upgates": ; " ' +
        'CRLF windows-1250, for e-shop imports. "utf-8-bom": UTF-8 that Excel recognises. ' +
        '"rfc-4180": , " CRLF UTF-8 with values unchanged. "custom": the defaults below.',
    }),
  header: z.boolean().optional().meta({
    title: 'Header row',
    description: 'Write the column names as the first row (default: yes).',
  }),
  delimiter: z
    .string()
    .min(1)
    .optional()
    .meta({
      title: 'Delimiter',
      description:
        'Character between fields, e.g. , or ; (Excel with a Czech locale expects ;). ' +
        'Default: , unless the preset sets it.',
    }),
  quoteChar: z
    .string()
    .length(1)
    .optional()
    .meta({
      title: 'Quote character',
      description:
        'Encloses fields that contain the delimiter, a quote or a line break, or that begin or ' +
        'end with a space; a quote inside is doubled. Default: ".',
    }),
  lineEnding: z.enum(['CRLF', 'LF']).optional().meta({
    title: 'Line ending',
    description: 'CRLF (the default) for Windows programs and Excel, LF for Unix programs.',
  }),
  encoding: z
    .enum(CSV_ENCODINGS)
    .optional()
    .meta({
      title: 'Encoding',
      description:
        'utf-8-bom lets Excel recognise UTF-8; windows-1250 and cp852 are the Czech Windows and DOS ' +
        'code pages, which write a character they lack as ? with a warning. Default: utf-8 ' +
        'unless the preset sets it.',
      widget: 'codepage',
    }),
  decimalComma: z
    .boolean()
    .optional()
    .meta({
      title: 'Decimal comma',
      description:
        'Write numbers as 1,5 instead of 1.5. Text fields are not changed. Default: off unless ' +
        'the preset sets it.',
    }),
  formulaGuard: z
    .boolean()
    .optional()
    .meta({
      title: 'Formula guard',
      description:
        "Prefix text beginning with =, +, -, @, a tab or a CR with ' so that a spreadsheet shows it " +
        'instead of running it as a formula. Text that is a plain number such as -5 or ' +
        "-21419,06 is left as it is, and text beginning with ' gets a second one, so that Read " +
        'CSV with "Formula guard: remove" reads every cell back unchanged. Turn it off for files ' +
        'that programs read. Default: on, except in the shoptet-upgates and rfc-4180 presets.',
    }),
});

/**
 * Write CSV: encodes the incoming records into one CSV file, spooled batch by batch to the run's
 * temporary area so memory stays flat, and sends that file on when the input ends.
 */
export const writeCsvBlock = defineBlock({
  type: 'csv.write',
  version: 1,
  title: 'Write CSV',
  category: 'Files',
  icon: 'file-spreadsheet',
  help: {
    summary:
      'Writes records as one CSV file, with a header row, quoting where needed and a line break ' +
      'after every row. Text that a spreadsheet would run as a formula is guarded by default.',
    inputs: { records: 'The records to write, one row each.' },
    outputs: {
      file:
        'One text/csv file, sent when the input ends. When no record came it holds only the ' +
        'header: the Columns parameter, else the columns that Read CSV, Read DBF, Map (with an ' +
        'object constructor) or Filter upstream announced.',
    },
  },
  inputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  outputs: [{ name: 'file', kind: 'files', label: 'File' }],
  parameters,
  async run(context) {
    const { params } = context;
    const options = resolveCsvPreset(params.preset, params);
    const encoder = createCsvEncoder({
      ...options,
      columns: params.columns,
      onWarning: (code, message, details) => context.warn(code, message, details),
    });
    context.logger.debug('csv writing started', { encoding: options.encoding });
    const { path, size } = await spoolRecords(context, encoder, '.csv');
    if (size === 0 && options.header) {
      context.warn(
        'CSV_EMPTY',
        'no record came, and neither the Columns parameter nor the block upstream names the ' +
          'columns, so the CSV file is empty; list the columns to write a header',
        { file: params.fileName },
      );
    }

    const file: FileItem = {
      name: params.fileName,
      mediaType: 'text/csv',
      size,
      encoding: options.encoding === 'utf-8-bom' ? 'utf-8' : options.encoding,
      records: encoder.recordCount,
      content: { kind: 'temp', path },
    };
    context.logger.debug('csv written', { bytes: size, records: encoder.recordCount });
    await context.outputs.file!.send([file]);
  },
});
