import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { defineBlock, type BlockContext, type DataRecord } from '../../contract/block.js';
import { AbortedError, FlowAuthorError } from '../../contract/errors.js';
import type { FileItem } from '../../contract/files.js';
import { codePages, normalizeCodePage, type CodePage } from '../../codepages/index.js';
import {
  createDbfWriter,
  openDbf,
  writeFieldsFromTable,
  type DbfWriteField,
  type DbfWriteFormat,
  type DbfWriter,
} from '../../dbf/index.js';
import { isVisualFoxPro } from '../../dbf/header.js';
import { companionResolver, describeTableError } from './table-errors.js';

// UTF-8 is left out: it has no language-driver byte, and FoxPro rejects a table without one.
type WritableCodePage = Exclude<CodePage, 'utf-8'>;
const codePageChoices = codePages.filter(
  (codePage): codePage is WritableCodePage => codePage !== 'utf-8',
) as [WritableCodePage, ...WritableCodePage[]];
const formats = ['dbase3', 'foxpro', 'visual-foxpro'] as const;

const field = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,9}$/, '1 to 10 ASCII letters, digits or underscores')
    .meta({ title: 'Name', description: 'Field name, e.g. PRICE; the records key it the same.' }),
  type: z.enum(['C', 'N', 'F', 'D', 'L', 'M', 'I', 'Y', 'B', 'T', 'V']).meta({
    title: 'Type',
    description:
      'C text, N or F number, D date, L logical, M memo; Visual FoxPro adds I integer, Y ' +
      'currency, B double, T date and time and V varchar (text that keeps trailing spaces).',
  }),
  length: z.number().int().min(1).max(254).optional().meta({
    title: 'Width',
    description:
      'Width in bytes: C and V 1 to 254, N and F 1 to 20. Other types have a fixed width.',
  }),
  decimals: z.number().int().min(0).max(18).optional().meta({
    title: 'Decimals',
    description: 'Digits after the decimal point of N, F and B fields. Default 0.',
  }),
  nullable: z
    .boolean()
    .optional()
    .meta({
      title: 'Nullable',
      description:
        'Visual FoxPro only: the field may hold null, marked apart from its value. Needed for ' +
        'null in I, Y and B fields, which have no blank value. Default off.',
    }),
});

const parameters = z.object({
  fileName: z
    .string()
    .regex(/^[^/\\]+$/, 'a file name without folders')
    .default('export.dbf')
    .meta({
      title: 'File name',
      description:
        'Name of the table, without folders, e.g. items.dbf. A memo file gets the same name ' +
        'with .dbt or .fpt. Write File or an upload block decides where they go.',
      expression: true,
    }),
  fields: z
    .array(field)
    .min(1)
    .optional()
    .meta({
      title: 'Fields',
      description:
        'Fields of the table in record order. Record keys are matched to field names without ' +
        'regard to letter case, and a missing value is written blank. Give either the fields ' +
        'or a template table.',
    }),
  template: z
    .string()
    .min(1)
    .optional()
    .meta({
      title: 'Template table',
      description:
        'Path of a DBF table inside the data folder whose fields are copied, e.g. the empty ' +
        'table a warehouse program imports. Its format and code page are used unless set here. ' +
        'Field names keep their letter case as the template stores them. An autoincrement ' +
        'field of a Visual FoxPro template gets the next values in records that lack one, and ' +
        'the table written stores the value after its last record.',
      expression: true,
      widget: 'file',
    }),
  format: z
    .enum(formats)
    .optional()
    .meta({
      title: 'Format',
      description:
        'dbase3 (dBase III, memo in .dbt), foxpro (FoxPro 2, memo in .fpt) or visual-foxpro ' +
        '(Visual FoxPro, memo in .fpt; needed for I, Y, B and T fields). Default: the ' +
        "template's format, else dbase3.",
    }),
  codePage: z
    .enum(codePageChoices)
    .optional()
    .meta({
      title: 'Code page',
      description:
        'Code page of text and memo values; the table declares it in its language-driver byte. ' +
        "Default: the template's code page, else 852 (Czech DOS programs).",
      expression: true,
      widget: 'codepage',
    }),
  truncate: z
    .boolean()
    .default(false)
    .meta({
      title: 'Truncate values that do not fit',
      description:
        'Cut text longer than its field, round or blank numbers too wide for it, and write ? ' +
        'for characters the code page lacks, each with a warning. Off by default, which fails ' +
        'the run naming the record and field.',
    }),
});

type Parameters = z.infer<typeof parameters>;

/** The table layout to write, from the parameters or a template table. */
type TableLayout = {
  fields: DbfWriteField[];
  format: DbfWriteFormat;
  codePage: CodePage;
  /** True for a template's fields, whose names are written as the template stores them. */
  keepNameCase?: boolean;
};

/**
 * Write DBF: writes the incoming records as a dBase III, FoxPro 2 or Visual FoxPro table,
 * spooled batch by batch to the run's temporary area. When the input ends, it sends the table on
 * as a file, with its memo file as a companion.
 */
export const writeDbfBlock = defineBlock({
  type: 'dbf.write',
  version: 1,
  title: 'Write DBF',
  category: 'Files',
  icon: 'table',
  help: {
    summary:
      'Writes records as a DBF table that FoxPro, dBase tools and GIS programs read: numbers ' +
      'right-aligned with their decimals, dates as YYYYMMDD, memo fields in a .dbt or .fpt ' +
      'file, and the language-driver byte of the code page set.',
    inputs: { records: 'The records to write, one row each, keyed by field name.' },
    outputs: {
      file: 'One application/dbase file, sent when the input ends, with its memo file as companion.',
    },
  },
  inputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  outputs: [{ name: 'file', kind: 'files', label: 'File' }],
  parameters,
  async run(context) {
    const { params } = context;
    const layout = await resolveLayout(context);
    const path = context.temp.newPath('.dbf');
    const writer = await createDbfWriter(path, {
      ...layout,
      truncate: params.truncate,
      onWarning: (code, message, details) =>
        context.warn(code, message, { ...details, file: params.fileName }),
    }).catch((error: unknown) => {
      throw nameTable(error, params.fileName);
    });

    context.logger.debug('dbf writing started', { format: layout.format });
    try {
      await writeInput(context, writer);
    } finally {
      await writer.close();
    }
    await context.outputs.file!.send([await describeOutput(params, writer, path)]);
  },
});

async function writeInput(context: BlockContext<Parameters>, writer: DbfWriter): Promise<void> {
  // The executor only wires records ports to this input, so its items are records.
  const batches = (context.inputs.records ?? []) as AsyncIterable<readonly DataRecord[]>;
  for await (const batch of batches) {
    if (context.signal.aborted) throw new AbortedError();
    try {
      await writer.write(batch);
    } catch (error) {
      throw nameTable(error, context.params.fileName);
    }
  }
}

/**
 * Names the table by the block's file name in an error of the writer, which has only the path
 * in the run's temporary area, a path that means nothing to the flow's author.
 */
function nameTable(error: unknown, fileName: string): unknown {
  if (error instanceof FlowAuthorError) error.context.file = fileName;
  return error;
}

async function resolveLayout(context: BlockContext<Parameters>): Promise<TableLayout> {
  const { fields, template, format, codePage } = context.params;
  if ((fields === undefined) === (template === undefined)) {
    throw new FlowAuthorError(
      'DBF_WRITE_LAYOUT_MISSING',
      fields === undefined
        ? 'Write DBF needs either its fields or a template table'
        : 'Write DBF takes either its fields or a template table, not both',
      { hint: 'Fill in the Fields parameter or the Template table parameter, not both.' },
    );
  }
  const chosenCodePage = codePage === undefined ? undefined : normalizeCodePage(codePage);
  if (fields !== undefined) {
    return { fields, format: format ?? 'dbase3', codePage: chosenCodePage ?? '852' };
  }

  const file = await context.files.resolve(template!);
  const table = await openDbf(file, {
    ...(codePage === undefined ? {} : { codePage: chosenCodePage }),
    resolveCompanion: companionResolver(context.files),
  }).catch((error: unknown) => {
    throw describeTableError(error, { path: template!, file, root: context.files.root });
  });
  await table.close();
  const layoutFormat = format ?? formatOfVersion(table.header.version);
  return {
    fields: writeFieldsFromTable(table.header.fields, layoutFormat),
    format: layoutFormat,
    codePage: chosenCodePage ?? table.codePage ?? '852',
    keepNameCase: true,
  };
}

/**
 * The format that writes a table like the template: FoxPro for FoxPro and Visual FoxPro tables,
 * else dBase III, which also takes a dBase IV template (0x8B, its memo file a .dbt) once its
 * float fields become numeric ones (see writeFieldsFromTable).
 */
function formatOfVersion(version: number): DbfWriteFormat {
  if (isVisualFoxPro(version)) return 'visual-foxpro';
  return version === 0xf5 || version === 0xfb ? 'foxpro' : 'dbase3';
}

async function describeOutput(
  params: Parameters,
  writer: DbfWriter,
  path: string,
): Promise<FileItem> {
  const file: FileItem = {
    name: params.fileName,
    mediaType: 'application/dbase',
    size: (await stat(path)).size,
    records: writer.recordCount,
    content: { kind: 'temp', path },
  };
  if (writer.memoPath === undefined) return file;

  const stem = basename(params.fileName, extname(params.fileName));
  const memo: FileItem = {
    name: stem + extname(writer.memoPath),
    mediaType: 'application/octet-stream',
    size: writer.memoSize,
    content: { kind: 'temp', path: writer.memoPath },
  };
  return { ...file, companions: [memo] };
}
