import { z } from 'zod';
import {
  defineBlock,
  type BlockContext,
  type BlockDefinition,
  type PortSpec,
} from '../../contract/block.js';
import { checkDownloadParameters, download, downloadParameters } from './operations/download.js';
import { list, listParameters } from './operations/list.js';
import {
  deleteParameters,
  makeFolder,
  makeFolderParameters,
  move,
  moveParameters,
  remove,
} from './operations/manage.js';
import { upload, uploadParameters } from './operations/upload.js';
import { connectionParameters } from './transfer-parameters.js';
import { TransferRun, type ConnectionParameters, type TransferProtocol } from './transfer-run.js';

type Operation = {
  action: string;
  title: string;
  summary: string;
  parameters: z.ZodObject;
  inputs: PortSpec[];
  outputs: PortSpec[];
  help: { inputs?: Record<string, string>; outputs?: Record<string, string> };
  checkParameters?: BlockDefinition['checkParameters'];
  run(context: BlockContext<ConnectionParameters>, run: TransferRun): Promise<void>;
};

const done: PortSpec = { name: 'done', kind: 'records', label: 'Done' };

const operations: Operation[] = [
  {
    action: 'list',
    title: 'List',
    summary: 'Lists a folder on the server.',
    parameters: listParameters,
    inputs: [],
    outputs: [{ name: 'entries', kind: 'records', label: 'Entries' }],
    help: { outputs: { entries: 'One record per entry: name, path, kind, size, modifiedAt.' } },
    run: list as Operation['run'],
  },
  {
    action: 'download',
    title: 'Download',
    summary:
      'Downloads the files of a server folder that match a name pattern and age and that no ' +
      'earlier run imported; after a successful run they can be deleted or moved on the server.',
    parameters: downloadParameters,
    inputs: [],
    outputs: [{ name: 'file', kind: 'files', label: 'Files' }],
    help: { outputs: { file: 'Each downloaded file, streamed through a temporary file.' } },
    checkParameters: checkDownloadParameters,
    run: download as Operation['run'],
  },
  {
    action: 'upload',
    title: 'Upload',
    summary:
      'Uploads files under a temporary name, checks their size, and gives them their real ' +
      'names when the run succeeds.',
    parameters: uploadParameters,
    inputs: [{ name: 'file', kind: 'files', label: 'Files' }],
    outputs: [{ name: 'uploaded', kind: 'records', label: 'Uploaded' }],
    help: {
      inputs: { file: 'The files to upload.' },
      outputs: { uploaded: 'One record per file: server, path, name, size.' },
    },
    run: upload as Operation['run'],
  },
  {
    action: 'move',
    title: 'Move',
    summary:
      'Moves or renames a file or folder on the server as soon as the block runs, not when ' +
      'the run ends, so a later failure of the run does not undo it.',
    parameters: moveParameters,
    inputs: [],
    outputs: [done],
    help: {},
    run: move as Operation['run'],
  },
  {
    action: 'delete',
    title: 'Delete',
    summary:
      'Deletes a file on the server as soon as the block runs, not when the run ends, so a ' +
      'later failure of the run does not bring it back. To delete downloaded files only after ' +
      'a successful run, use Download\'s "After the run".',
    parameters: deleteParameters,
    inputs: [],
    outputs: [done],
    help: {},
    run: remove as Operation['run'],
  },
  {
    action: 'make-folder',
    title: 'Make Folder',
    summary:
      'Creates a folder and its missing parents on the server as soon as the block runs; a ' +
      'later failure of the run leaves the folder.',
    parameters: makeFolderParameters,
    inputs: [],
    outputs: [done],
    help: {},
    run: makeFolder as Operation['run'],
  },
];

/**
 * Declares one block per operation for a protocol, e.g. `ftp.download` and `sftp.download`: the
 * operations are written once over RemoteSession, and only the connection differs.
 */
export function defineTransferBlocks(
  protocol: TransferProtocol,
  protocolParameters: z.ZodObject,
): BlockDefinition[] {
  return operations.map(
    (operation) =>
      defineBlock({
        type: `${protocol.id}.${operation.action}`,
        version: 1,
        title: `${protocol.title} ${operation.title}`,
        category: 'Transfer',
        icon: protocol.id,
        help: { summary: operation.summary, ...operation.help },
        inputs: operation.inputs,
        outputs: operation.outputs,
        parameters: connectionParameters
          .extend(protocolParameters.shape)
          .extend(operation.parameters.shape),
        credentials: [protocol.id],
        ...(operation.checkParameters ? { checkParameters: operation.checkParameters } : {}),
        async run(context) {
          const typed = context as unknown as BlockContext<ConnectionParameters>;
          const run = await TransferRun.start(protocol, typed);
          await run.runBlock(() => operation.run(typed, run));
        },
      }) as unknown as BlockDefinition,
  );
}
