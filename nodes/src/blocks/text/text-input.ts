import { z } from 'zod';
import type { BlockContext, DataRecord } from '../../contract/block.js';
import { AbortedError } from '../../contract/errors.js';
import type { FileItem } from '../../contract/files.js';
import { openFileContent } from '../../contract/files.js';
import { codePages } from '../../codepages/code-page.js';
import type { DetectedEncoding } from '../../text/decode-stream.js';

const singleByteCodePages = ['1250', '852', 'kamenicky', '437', '850', '1252'] as const;

/** Parameters that every block reading text files shares: how the bytes become text. */
export const textEncodingParameters = {
  encoding: z
    .enum(['auto', ...codePages] as ['auto', ...typeof codePages])
    .default('auto')
    .meta({
      title: 'Encoding',
      description:
        '"auto" follows a BOM, else reads the file as UTF-8 when its first 64 KiB are valid ' +
        'UTF-8, else uses the fallback encoding with a warning. Kamenický is the old Czech DOS page.',
      expression: true,
      widget: 'codepage',
    }),
  fallbackEncoding: z.enum(singleByteCodePages).default('1250').meta({
    title: 'Fallback encoding',
    description: 'Code page that "auto" uses for a file that is not UTF-8.',
    widget: 'codepage',
  }),
  strictEncoding: z.boolean().default(false).meta({
    title: 'Fail instead of falling back',
    description: 'With "auto", fail on a file that has no BOM and is not valid UTF-8.',
  }),
};

/** Records a warning when "auto" fell back to a code page, naming the choice. */
export function reportEncoding<P>(
  context: BlockContext<P>,
  file: string,
  detected: DetectedEncoding,
): void {
  context.logger.info('text encoding chosen', { file, ...detected });
  if (detected.source !== 'fallback') return;
  context.warn(
    'TEXT_ENCODING_FALLBACK',
    `${file} is not UTF-8 and has no BOM, so it was read as ${detected.encoding}; set the ` +
      'encoding to pin it',
    { file, encoding: detected.encoding },
  );
}

/**
 * Reads each file of the block's `file` input with `read` and sends the records it yields to the
 * `records` output, stopping when the run is aborted.
 */
export async function sendRecordsOfFiles<P>(
  context: BlockContext<P>,
  read: (file: FileItem, bytes: AsyncIterable<Uint8Array>) => AsyncIterable<DataRecord[]>,
): Promise<void> {
  // The executor only wires files ports to this input, so its items are files.
  const inputs = (context.inputs.file ?? []) as AsyncIterable<readonly FileItem[]>;
  for await (const files of inputs) {
    for (const file of files) {
      const stream = openFileContent(file);
      try {
        for await (const batch of read(file, stream)) {
          if (context.signal.aborted) throw new AbortedError();
          await context.outputs.records!.send(batch);
        }
      } finally {
        stream.destroy();
      }
    }
  }
}
