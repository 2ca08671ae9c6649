import { z } from 'zod';
import { defineBlock } from '../../contract/block.js';
import type { FileItem } from '../../contract/files.js';
import { codePages } from '../../codepages/code-page.js';
import { createTextEncoder } from '../../text/text-writer.js';
import {
  layoutsParameter,
  positionsParameter,
  recordSeparatorParameter,
} from './layout-parameters.js';
import { spoolRecords } from './spool-records.js';

const parameters = z.object({
  fileName: z
    .string()
    .regex(/^[^/\\]+$/, 'a file name without folders')
    .default('export.txt')
    .meta({
      title: 'File name',
      description: 'Name of the text file, without folders. Write File decides where it goes.',
      expression: true,
    }),
  format: z.enum(['fixed-width', 'delimited']).default('fixed-width').meta({
    title: 'Format',
    description: 'Fixed-width columns at set positions, or cells split by a delimiter.',
  }),
  layouts: layoutsParameter.refine((layouts) => layouts.length > 0, 'at least one layout'),
  recordSeparator: recordSeparatorParameter,
  positions: positionsParameter,
  delimiter: z.string().min(1).default(';').meta({
    title: 'Delimiter',
    description:
      'Text between the cells of delimited text. A value that contains it fails the run.',
  }),
  header: z.boolean().default(false).meta({
    title: 'Header row',
    description: 'Write the column names as the first line of delimited text.',
  }),
  encoding: z
    .enum(codePages)
    .default('1250')
    .meta({
      title: 'Encoding',
      description:
        'Code page of the file; a character it lacks is written as ? with a warning. ' +
        'Kamenický is the old Czech DOS page.',
      widget: 'codepage',
    }),
  truncate: z.boolean().default(false).meta({
    title: 'Cut long values',
    description: 'Cut text wider than its column instead of failing the run.',
  }),
});

/** Write Text: records into one fixed-width or delimited text file. */
export const writeTextBlock = defineBlock({
  type: 'text.write',
  version: 1,
  title: 'Write Text',
  category: 'Files',
  icon: 'file-text',
  help: {
    summary:
      'Writes records as fixed-width or delimited text by a column layout, for cash registers, ' +
      'scales, barcode scanners, banks and accounting imports, in any code page including ' +
      'Kamenický. With several layouts, each record’s recordType picks its layout.',
    inputs: { records: 'The records to write, one line each.' },
    outputs: { file: 'One text/plain file, sent when the input ends.' },
  },
  inputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  outputs: [{ name: 'file', kind: 'files', label: 'File' }],
  parameters,
  async run(context) {
    const { params } = context;
    const encoder = createTextEncoder({
      ...params,
      onWarning: (code, message, details) => context.warn(code, message, details),
    });
    const { path, size } = await spoolRecords(context, encoder, '.txt');

    const file: FileItem = {
      name: params.fileName,
      mediaType: 'text/plain',
      size,
      encoding: params.encoding,
      records: encoder.recordCount,
      content: { kind: 'temp', path },
    };
    await context.outputs.file!.send([file]);
  },
});
