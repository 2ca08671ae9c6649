import { z } from 'zod';
import { isValidDateFormat } from '../../text/values.js';

const column = z.object({
  name: z.string().min(1).meta({ title: 'Name', description: 'Field name of the column.' }),
  start: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({
      title: 'Start',
      description:
        '1-based position of its first character (or byte, with byte positions); default right ' +
        'after the previous column.',
    }),
  width: z.number().int().min(1).optional().meta({
    title: 'Width',
    description: 'Characters, or bytes with byte positions; required for fixed-width text.',
  }),
  type: z.enum(['text', 'number', 'date']).default('text').meta({ title: 'Type' }),
  decimals: z.number().int().min(0).max(15).default(0).meta({
    title: 'Decimals',
    description: 'Decimal places of a number.',
  }),
  decimalPoint: z
    .enum(['implied', '.', ','])
    .default('implied')
    .meta({
      title: 'Decimal point',
      description:
        '"implied": the text has no separator and the last digits are the decimals ' +
        '(000123450 with 2 decimals is 1234.5); else the separator the text uses.',
    }),
  dateFormat: z
    .string()
    .refine(isValidDateFormat, 'a format of d, dd, M, MM, yy and yyyy')
    .default('yyyyMMdd')
    .meta({
      title: 'Date format',
      description:
        'd or dd day, M or MM month, yy or yyyy year, e.g. ddMMyy or d.M.yyyy. A two-digit ' +
        'year below 70 is 20xx, else 19xx.',
    }),
  align: z.enum(['left', 'right']).optional().meta({
    title: 'Alignment',
    description: 'Default left for text, right for numbers and dates.',
  }),
  padding: z.string().length(1).default(' ').meta({
    title: 'Padding',
    description: 'Character that fills the column, usually a space or 0.',
  }),
});

/** The `layouts` parameter of Read Text and Write Text. */
export const layoutsParameter = z
  .array(
    z.object({
      name: z.string().min(1).optional().meta({
        title: 'Record type',
        description: 'Name given to records of this layout in their recordType field.',
      }),
      prefix: z.string().optional().meta({
        title: 'Prefix',
        description:
          'Text that lines of this layout begin with, e.g. 075, when a file mixes record types.',
      }),
      columns: z.array(column).min(1),
    }),
  )
  .default([])
  .meta({
    title: 'Layouts',
    description:
      'Columns of each kind of record: name, start or width, type, decimals, date format, ' +
      'alignment and padding. Delimited text may leave them out to read every cell as text.',
  });

/** The `recordSeparator` parameter of Read Text and Write Text. */
export const recordSeparatorParameter = z
  .enum(['CRLF', 'LF', 'none'])
  .default('CRLF')
  .meta({
    title: 'Record separator',
    description:
      'Line break after each record, or "none" for records of a fixed length one after ' +
      'another. Reading accepts CRLF, LF and CR alike unless "none" is set.',
  });

/** The `positions` parameter of Read Text and Write Text. */
export const positionsParameter = z
  .enum(['characters', 'bytes'])
  .default('characters')
  .meta({
    title: 'Positions count',
    description:
      'What the starts, widths and record length of a fixed-width layout count. "bytes" is for ' +
      'UTF-8 files from programs that count bytes, where č or ř takes two; a column boundary ' +
      'inside such a character is reported with its line and byte. In a single-byte code page ' +
      'every character is one byte, so both settings read and write the same.',
  });
