import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { defineBlock } from '../../contract/block.js';
import { describeFileError } from './file-errors.js';
import { mediaTypeOf } from './media-types.js';

/** Read File: emits one file of the data folder on its `file` port. */
export const readFileBlock = defineBlock({
  type: 'file.read',
  version: 1,
  title: 'Read File',
  category: 'Files',
  icon: 'file-input',
  help: {
    summary: 'Reads a file from the data folder and passes it on without changing it.',
    outputs: { file: 'The file, with its name, media type and size.' },
  },
  inputs: [],
  outputs: [{ name: 'file', kind: 'files', label: 'File' }],
  parameters: z.object({
    path: z.string().min(1).meta({
      title: 'Path',
      description: 'Path of the file inside the data folder, e.g. export/items.dbf.',
      expression: true,
      widget: 'file',
    }),
  }),
  async run(context) {
    const path = await context.files.resolve(context.params.path, 'read');
    const info = await stat(path).catch((error: unknown) => {
      throw describeFileError(error, context.params.path, 'read');
    });
    if (!info.isFile()) throw describeFileError({ code: 'EISDIR' }, context.params.path, 'read');
    const name = basename(path);
    await context.outputs.file!.send([
      { name, mediaType: mediaTypeOf(name), size: info.size, content: { kind: 'temp', path } },
    ]);
  },
});
