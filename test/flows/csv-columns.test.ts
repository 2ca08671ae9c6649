import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDbfWriter, demoItemFields } from '@kuryr/nodes';
import { runKuryr } from '../support/kuryr.js';
import { useRunFolders } from '../support/run-folders.js';

const prepareRun = useRunFolders('kuryr-csv-columns-');

type FlowBlock = { id: string; type: string; parameters: Record<string, unknown> };

/**
 * Builds a flow of blocks wired in a chain: `ports[i]` names the output of block i and the input
 * of block i + 1 that the wire between them joins.
 */
function chainFlow(blocks: readonly FlowBlock[], ports: readonly [string, string][]) {
  return {
    schemaVersion: 1,
    id: 'csv-columns',
    name: 'CSV columns',
    variables: {},
    credentials: [],
    blocks: blocks.map((block, index) => ({
      ...block,
      version: 1,
      name: block.id,
      position: { x: 240 * index, y: 0 },
    })),
    wires: ports.map(([from, to], index) => ({
      from: { block: blocks[index]!.id, port: from },
      to: { block: blocks[index + 1]!.id, port: to },
    })),
  };
}

/** Writes `flow` into a fresh run folder, runs it and returns the result and the data folder. */
async function runFlow(flow: object, prepare: (data: string) => Promise<void>) {
  const { work, data } = await prepareRun();
  await prepare(data);
  const flowPath = join(work, 'flow.json');
  await writeFile(flowPath, JSON.stringify(flow));
  const folders = ['--data-dir', data, '--state-dir', join(work, 'state')];
  const result = await runKuryr(['run', flowPath, ...folders, '--json']);
  return { result, data };
}

const writeCsv: FlowBlock = {
  id: 'write-csv',
  type: 'csv.write',
  parameters: { fileName: 'out.csv', preset: 'excel-cz' },
};
const saveFile: FlowBlock = {
  id: 'write-file',
  type: 'file.write',
  parameters: { path: 'out.csv' },
};

/** Writes a DBF table with the demo item fields and no records. */
async function writeEmptyTable(path: string): Promise<void> {
  const writer = await createDbfWriter(path, { fields: demoItemFields, codePage: '852' });
  await writer.write([]);
  await writer.close();
}

describe('columns announced without records', () => {
  it('copies the header of a header-only CSV', async () => {
    const flow = chainFlow(
      [
        { id: 'read-file', type: 'file.read', parameters: { path: 'in.csv' } },
        { id: 'read-csv', type: 'csv.read', parameters: {} },
        writeCsv,
        saveFile,
      ],
      [
        ['file', 'file'],
        ['records', 'records'],
        ['file', 'file'],
      ],
    );

    const { result, data } = await runFlow(flow, (folder) =>
      writeFile(join(folder, 'in.csv'), 'kód;název;cena\r\n'),
    );

    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const written = await readFile(join(data, 'out.csv'));
    expect(written.toString('latin1')).toBe('k\xf3d;n\xe1zev;cena\r\n');
  });

  it('adds Map $merge keys to a header-only CSV', async () => {
    const flow = chainFlow(
      [
        { id: 'read-file', type: 'file.read', parameters: { path: 'in.csv' } },
        { id: 'read-csv', type: 'csv.read', parameters: {} },
        {
          id: 'map',
          type: 'transform.map',
          parameters: { expression: '$merge([$, { "cena": 0, "dph": 21 }])' },
        },
        { id: 'keep-all', type: 'transform.map', parameters: { expression: '$' } },
        writeCsv,
        saveFile,
      ],
      [
        ['file', 'file'],
        ['records', 'records'],
        ['records', 'records'],
        ['records', 'records'],
        ['file', 'file'],
      ],
    );

    const { result, data } = await runFlow(flow, (folder) =>
      writeFile(join(folder, 'in.csv'), 'kód;název;cena\r\n'),
    );

    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const written = await readFile(join(data, 'out.csv'));
    expect(written.toString('latin1')).toBe('k\xf3d;n\xe1zev;cena;dph\r\n');
  });

  it('writes the fields of an empty DBF table', async () => {
    const flow = chainFlow(
      [{ id: 'read-dbf', type: 'dbf.read', parameters: { path: 'items.dbf' } }, writeCsv, saveFile],
      [
        ['records', 'records'],
        ['file', 'file'],
      ],
    );

    const { result, data } = await runFlow(flow, (folder) =>
      writeEmptyTable(join(folder, 'items.dbf')),
    );

    expect(result.code).toBe(0);
    const written = await readFile(join(data, 'out.csv'), 'latin1');
    expect(written).toBe(`${demoItemFields.map((field) => field.name).join(';')}\r\n`);
  });

  it('passes Map object keys through Filter', async () => {
    const flow = chainFlow(
      [
        { id: 'read-dbf', type: 'dbf.read', parameters: { path: 'items.dbf' } },
        {
          id: 'map',
          type: 'transform.map',
          parameters: { expression: '{ "code": CODE, "price": PRICE }' },
        },
        { id: 'filter', type: 'transform.filter', parameters: { condition: 'price > 0' } },
        writeCsv,
        saveFile,
      ],
      [
        ['records', 'records'],
        ['records', 'records'],
        ['kept', 'records'],
        ['file', 'file'],
      ],
    );

    const { result, data } = await runFlow(flow, (folder) =>
      writeEmptyTable(join(folder, 'items.dbf')),
    );

    expect(result.code).toBe(0);
    expect(await readFile(join(data, 'out.csv'), 'latin1')).toBe('code;price\r\n');
  });

  it('writes nothing when Map keys are computed', async () => {
    const flow = chainFlow(
      [
        { id: 'read-dbf', type: 'dbf.read', parameters: { path: 'items.dbf' } },
        { id: 'map', type: 'transform.map', parameters: { expression: '$merge([{"a": 1}])' } },
        writeCsv,
        saveFile,
      ],
      [
        ['records', 'records'],
        ['records', 'records'],
        ['file', 'file'],
      ],
    );

    const { result, data } = await runFlow(flow, (folder) =>
      writeEmptyTable(join(folder, 'items.dbf')),
    );
    const summary = JSON.parse(result.stdout) as {
      blocks: { id: string; warnings: { code: string }[] }[];
    };
    const warnings = summary.blocks.find((block) => block.id === 'write-csv')!.warnings;

    expect(result.code).toBe(0);
    expect((await readFile(join(data, 'out.csv'))).length).toBe(0);
    expect(warnings.map((warning) => warning.code)).toEqual(['CSV_EMPTY']);
  });
});
