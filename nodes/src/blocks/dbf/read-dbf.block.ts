import { z } from 'zod';
import { defineBlock } from '../../contract/block.js';
import { AbortedError, KuryrError } from '../../contract/errors.js';
import { codePages, normalizeCodePage } from '../../codepages/index.js';
import { openDbf, recordFieldNames, type DbfTable } from '../../dbf/index.js';
import { companionResolver, describeTableError, inDataFolder } from './table-errors.js';

const codePageChoices = ['auto', ...codePages] as const;

const parameters = z.object({
  path: z.string().min(1).meta({
    title: 'File',
    description:
      'Path of the DBF table inside the data folder; a memo file beside it is found too.',
    expression: true,
    widget: 'file',
  }),
  codePage: z
    .enum(codePageChoices)
    .default('auto')
    .meta({
      title: 'Code page',
      description:
        'Code page of the text in the table. "auto" uses the code page that a .cpg file beside ' +
        'the table names, else the one the table declares in its language-driver byte. When ' +
        'neither exists, Kurýr guesses one from the text and warns. Kamenický is the old Czech ' +
        'DOS page and Mazovia the old Polish one.',
      expression: true,
    }),
  // Small batches keep records young: a batch that waits long on a wire outlives the garbage
  // collector's young generation and inflates the old one (peak memory measured by pnpm bench).
  batchSize: z.number().int().min(1).max(100_000).default(250).meta({
    title: 'Batch size',
    description: 'Records sent downstream at a time.',
  }),
  lenient: z
    .boolean()
    .default(false)
    .meta({
      title: 'Read damaged tables',
      description:
        'Read a table that is shorter than its header says, that contains a record of zero ' +
        'bytes, or whose memo file is missing, as far as it goes and report a warning instead ' +
        'of failing.',
    }),
  strict: z
    .boolean()
    .default(false)
    .meta({
      title: 'Fail on unmappable bytes',
      description:
        'Fail on a text byte that the code page has no character for. Off by default, which ' +
        'reads such a byte as the replacement character U+FFFD and reports a warning.',
    }),
  requiredFields: z
    .array(z.string().min(1))
    .optional()
    .meta({
      title: 'Required fields',
      description:
        'Names of fields the table must have, in any letter case. A table without one of them ' +
        'fails before any record is read. Default: no check.',
    }),
});

/** Reads the records of a dBase or FoxPro table, skipping deleted ones. */
export const readDbfBlock = defineBlock({
  type: 'dbf.read',
  version: 1,
  title: 'Read DBF',
  category: 'Files',
  icon: 'table',
  help: {
    summary:
      'Reads a dBase III/IV, FoxPro 2 or Visual FoxPro table and sends its records, without the ' +
      'deleted ones. Text fields lose trailing spaces; empty values become null; dates become ' +
      'YYYY-MM-DD and datetimes YYYY-MM-DDTHH:MM:SS.',
    outputs: { records: 'One record per row of the table, keyed by field name.' },
  },
  inputs: [],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters,
  async run(context) {
    const { path, codePage, batchSize, lenient, strict, requiredFields } = context.params;
    const file = await context.files.resolve(path);
    const root = context.files.root;
    let table: DbfTable;
    try {
      table = await openDbf(file, {
        codePage: codePage === 'auto' ? undefined : normalizeCodePage(codePage),
        lenient,
        strict,
        requiredFields,
        onWarning: (code, message, details) =>
          context.warn(code, message, details && inDataFolder(details, root)),
        resolveCompanion: companionResolver(context.files),
      });
    } catch (error) {
      throw describeTableError(error, { path, file, root });
    }
    context.logger.debug('reading DBF table', {
      version: table.header.versionName,
      records: table.header.recordCount,
      codePage: table.codePage ?? 'ascii',
    });

    context.outputs.records!.announceColumns(recordFieldNames(table.header));
    try {
      for await (const batch of table.records(batchSize)) {
        if (context.signal.aborted) throw new AbortedError();
        await context.outputs.records!.send(batch);
      }
    } catch (error) {
      if (error instanceof KuryrError) error.context = inDataFolder(error.context, root);
      throw error;
    } finally {
      await table.close();
    }
  },
});
