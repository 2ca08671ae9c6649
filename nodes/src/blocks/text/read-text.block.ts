import { z } from 'zod';
import { defineBlock } from '../../contract/block.js';
import { DEFAULT_MAX_RECORD_LENGTH } from '../../csv/csv-tokenizer.js';
import { readText } from '../../text/text-reader.js';
import {
  layoutsParameter,
  positionsParameter,
  recordSeparatorParameter,
} from './layout-parameters.js';
import { reportEncoding, sendRecordsOfFiles, textEncodingParameters } from './text-input.js';

const parameters = z.object({
  format: z.enum(['fixed-width', 'delimited']).default('fixed-width').meta({
    title: 'Format',
    description: 'Fixed-width columns at set positions, or cells split by a delimiter.',
  }),
  layouts: layoutsParameter,
  recordSeparator: recordSeparatorParameter,
  positions: positionsParameter,
  recordLength: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({
      title: 'Record length',
      description:
        'Characters (or bytes, with byte positions) per record with record separator "none"; ' +
        'default the layout length.',
    }),
  badLines: z
    .enum(['fail', 'skip', 'keep'])
    .default('fail')
    .meta({
      title: 'Bad lines',
      description:
        'A line shorter or longer than its layout, of no layout, or with an invalid number or ' +
        'date: "fail" stops the run, "skip" drops it, "keep" passes it on (invalid values as ' +
        'text). Each is reported with its line number.',
    }),
  delimiter: z.string().length(1).default(';').meta({
    title: 'Delimiter',
    description: 'Character between the cells of delimited text.',
  }),
  quoteChar: z.string().max(1).default('').meta({
    title: 'Quote character',
    description: 'Encloses cells of delimited text that hold the delimiter; empty for none.',
  }),
  header: z.boolean().default(false).meta({
    title: 'Header row',
    description: 'The first line of delimited text names the columns.',
  }),
  ...textEncodingParameters,
  maxRecordLength: z.number().int().min(1).default(DEFAULT_MAX_RECORD_LENGTH).meta({
    title: 'Maximum record length',
    description: 'Characters one line may have (default 64 Mi); a longer line fails the read.',
  }),
});

/** Read Text: fixed-width or delimited text files into records, by a column layout. */
export const readTextBlock = defineBlock({
  type: 'text.read',
  version: 1,
  title: 'Read Text',
  category: 'Files',
  icon: 'file-text',
  help: {
    summary:
      'Reads fixed-width or delimited text, as cash registers, scales, barcode scanners, banks ' +
      '(ABO/GPC statements) and accounting programs write it, into records by a column layout, ' +
      'in any code page including Kamenický. Lines of the wrong length are reported by number.',
    inputs: { file: 'Text files, e.g. from Read File or a download.' },
    outputs: {
      records:
        'One record per line, keyed by column name, with recordType when the layout has a name.',
    },
  },
  inputs: [{ name: 'file', kind: 'files', label: 'File' }],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters,
  async run(context) {
    const { params } = context;
    await sendRecordsOfFiles(context, (file, bytes) =>
      readText(bytes, {
        ...params,
        file: file.name,
        onEncoding: (detected) => reportEncoding(context, file.name, detected),
        onWarning: (code, message, details) => context.warn(code, message, details),
      }),
    );
  },
});
