import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockContext, DataRecord, PortItem, WarningDetails } from '../../contract/block.js';
import { AbortedError, EnvironmentError, FlowAuthorError } from '../../contract/errors.js';
import { silentLogger } from '../../contract/logger.js';
import { parameterMeta } from '../../contract/parameters.js';
import { createExpressionEngine } from '../../expressions/engine.js';
import { readDbfBlock } from './index.js';
import { describeTableError } from './table-errors.js';

// TODO: run these through the runtime's executor once it offers a test harness; until then a
// hand-made context replaces it.

const fixtures = fileURLToPath(new URL('../../dbf/fixtures/', import.meta.url));
let dataFolder: string;

beforeAll(async () => {
  dataFolder = await mkdtemp(join(tmpdir(), 'kuryr-read-dbf-'));
  await copyFile(join(fixtures, 'eshop-items-852.dbf'), join(dataFolder, 'items.dbf'));
  await copyFile(join(fixtures, 'dbase4_header_count_too_high.dbf'), join(dataFolder, 'short.dbf'));
  await copyFile(join(fixtures, 'dbase4_header_count_too_high.dbt'), join(dataFolder, 'short.dbt'));
  await mkdir(join(dataFolder, 'folder.dbf'));
});

afterAll(async () => {
  await rm(dataFolder, { recursive: true, force: true });
});

type Captured = {
  batches: DataRecord[][];
  columns?: readonly string[];
  warnings: { code: string; message: string; details?: WarningDetails }[];
};

function createContext(params: Record<string, unknown>, signal = new AbortController().signal) {
  const captured: Captured = { batches: [], warnings: [] };
  const context = {
    params: readDbfBlock.parameters.parse(params),
    inputs: {},
    outputs: {
      records: {
        isWired: true,
        send: async (batch: readonly PortItem[]) => {
          captured.batches.push([...batch] as DataRecord[]);
        },
        announceColumns: (columns: readonly string[]) => (captured.columns = columns),
      },
    },
    signal,
    logger: silentLogger,
    warn: (code: string, message: string, details?: WarningDetails) =>
      captured.warnings.push({ code, message, details }),
    files: { root: dataFolder, resolve: async (path: string) => resolve(dataFolder, path) },
  } as unknown as BlockContext<ReturnType<typeof readDbfBlock.parameters.parse>>;
  return { context, captured };
}

describe('Read DBF block', () => {
  it('declares its identity and ports', () => {
    expect(readDbfBlock.type).toBe('dbf.read');
    expect(readDbfBlock.version).toBe(1);
    expect(readDbfBlock.title).toBe('Read DBF');
    expect(readDbfBlock.category).toBe('Files');
    expect(readDbfBlock.inputs).toEqual([]);
    expect(readDbfBlock.outputs).toEqual([{ name: 'records', kind: 'records', label: 'Records' }]);
  });

  it('applies parameter defaults', () => {
    expect(readDbfBlock.parameters.parse({ path: 'a.dbf' })).toEqual({
      path: 'a.dbf',
      codePage: 'auto',
      batchSize: 250,
      lenient: false,
      strict: false,
    });
  });

  it('rejects an unknown code page parameter', () => {
    expect(() => readDbfBlock.parameters.parse({ path: 'a.dbf', codePage: 'latin2' })).toThrow();
  });

  it('sends the records in batches', async () => {
    const { context, captured } = createContext({ path: 'items.dbf', batchSize: 4 });
    await readDbfBlock.run(context);
    expect(captured.batches.map((batch) => batch.length)).toEqual([4, 4, 3]);
    expect(captured.batches[0]![0]!.NAME).toBe('Mýdlo levandulové');
  });

  it('announces the table columns', async () => {
    const { context, captured } = createContext({ path: 'items.dbf' });
    await readDbfBlock.run(context);

    expect(captured.columns).toEqual(Object.keys(captured.batches[0]![0]!));
    expect(captured.columns).toContain('NAME');
  });

  it('uses the code page parameter', async () => {
    const { context, captured } = createContext({ path: 'items.dbf', codePage: '1250' });
    await readDbfBlock.run(context);
    expect(captured.batches[0]![0]!.NAME).not.toBe('Mýdlo levandulové');
  });

  it('fails on a truncated table with the file in the context', async () => {
    const { context } = createContext({ path: 'short.dbf' });
    const error = await readDbfBlock.run(context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowAuthorError);
    expect((error as FlowAuthorError).code).toBe('DBF_TRUNCATED');
    expect((error as FlowAuthorError).context.file).toBe('short.dbf');
  });

  it('warns and reads a truncated table when lenient', async () => {
    const { context, captured } = createContext({ path: 'short.dbf', lenient: true });
    await readDbfBlock.run(context);
    expect(captured.batches.flat()).toHaveLength(10);
    expect(captured.warnings.map((warning) => warning.code)).toEqual(['DBF_TRUNCATED']);
    expect(captured.warnings[0]!.message).toBe('truncated: header says 15 records, file holds 10');
    expect(captured.warnings[0]!.details?.file).toBe('short.dbf');
  });

  it('stops when the run is aborted', async () => {
    const controller = new AbortController();
    const { context, captured } = createContext(
      { path: 'items.dbf', batchSize: 2 },
      controller.signal,
    );
    context.outputs.records = {
      isWired: true,
      send: async (batch) => {
        captured.batches.push([...batch] as DataRecord[]);
        controller.abort();
      },
      announceColumns: () => {},
    };
    await expect(readDbfBlock.run(context)).rejects.toBeInstanceOf(AbortedError);
    expect(captured.batches).toHaveLength(1);
  });
});

describe('Read DBF block unmappable bytes', () => {
  // Byte 0x81 has no character in Windows-1252; record 1's NAME starts at byte 348.
  async function writeUnmappable(): Promise<string> {
    const bytes = await readFile(join(fixtures, 'eshop-items-852.dbf'));
    bytes[29] = 0x03;
    bytes[348] = 0x81;
    await writeFile(join(dataFolder, 'unmappable.dbf'), bytes);
    return 'unmappable.dbf';
  }

  it('warns and sends U+FFFD by default', async () => {
    const { context, captured } = createContext({ path: await writeUnmappable() });
    await readDbfBlock.run(context);
    expect(captured.batches[0]![0]!.NAME).toMatch(/^\uFFFD/);
    expect(captured.warnings.map((warning) => warning.code)).toContain('DBF_BYTE_UNMAPPABLE');
    const warning = captured.warnings.find((each) => each.code === 'DBF_BYTE_UNMAPPABLE')!;
    expect(warning.details).toMatchObject({ record: 1, field: 'NAME', offset: 348 });
  });

  it('fails when strict', async () => {
    const { context, captured } = createContext({ path: await writeUnmappable(), strict: true });
    const error = await readDbfBlock.run(context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowAuthorError);
    expect((error as FlowAuthorError).code).toBe('DBF_BYTE_UNMAPPABLE');
    expect((error as FlowAuthorError).context.record).toBe(1);
    expect(captured.batches).toEqual([]);
  });
});

describe('Read DBF block required fields', () => {
  it('matches required fields ignoring case', async () => {
    const { context, captured } = createContext({
      path: 'items.dbf',
      requiredFields: ['code', 'Price'],
    });
    await readDbfBlock.run(context);
    expect(captured.batches.flat()).toHaveLength(11);
  });

  it('fails on missing required fields', async () => {
    const { context, captured } = createContext({
      path: 'items.dbf',
      requiredFields: ['CODE', 'weight', 'Colour'],
    });
    const error = await readDbfBlock.run(context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowAuthorError);
    expect((error as FlowAuthorError).code).toBe('DBF_FIELDS_MISSING');
    expect((error as FlowAuthorError).message).toBe(
      'items.dbf is missing the fields weight, Colour (the table has CODE, EAN, NAME, PRICE, ' +
        'VAT, STOCK, UNIT, CHANGED, ACTIVE)',
    );
    expect((error as FlowAuthorError).hint).toBeDefined();
    expect(captured.batches).toEqual([]);
  });
});

describe('Read DBF block file errors', () => {
  it('names the given path of a missing table', async () => {
    const { context } = createContext({ path: 'in/missing.dbf' });
    const error = await readDbfBlock.run(context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowAuthorError);
    expect((error as FlowAuthorError).code).toBe('FILE_NOT_FOUND');
    expect((error as FlowAuthorError).message).toContain('in/missing.dbf was not found');
    expect((error as FlowAuthorError).hint).toMatch(/path/);
    expect((error as FlowAuthorError).context.file).toBe('in/missing.dbf');
  });

  it('names the given path of a folder', async () => {
    const { context } = createContext({ path: 'folder.dbf' });
    const error = await readDbfBlock.run(context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowAuthorError);
    expect((error as FlowAuthorError).code).toBe('FILE_IS_FOLDER');
    expect((error as FlowAuthorError).message).toContain('folder.dbf');
    expect((error as FlowAuthorError).hint).toBeDefined();
    expect((error as FlowAuthorError).context.file).toBe('folder.dbf');
  });

  it('reports permission denied as environment error', () => {
    const table = join(dataFolder, 'in', 'items.dbf');
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${table}'`), {
      code: 'EACCES',
      path: table,
    });
    const error = describeTableError(denied, {
      path: 'in/items.dbf',
      file: table,
      root: dataFolder,
    });
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.code).toBe('FILE_ACCESS_DENIED');
    expect(error.message).toContain('in/items.dbf');
    expect(error.hint).toBeDefined();
    expect(error.context.file).toBe('in/items.dbf');
  });

  it('names a memo file by its path in the data folder', () => {
    const table = join(dataFolder, 'in', 'items.dbf');
    const memo = join(dataFolder, 'in', 'items.dbt');
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${memo}'`), {
      code: 'EACCES',
      path: memo,
    });
    const error = describeTableError(denied, {
      path: 'in/items.dbf',
      file: table,
      root: dataFolder,
    });
    expect(error.context.file).toBe(join('in', 'items.dbt'));
  });
});

describe('Read DBF block code page expression', () => {
  async function runWithCodePageVariable(value: string) {
    const engine = createExpressionEngine({
      variables: { CODE_PAGE: value },
      runStartedAt: new Date(),
      onWarning: () => {},
    });
    const codePage = await engine.compile('$vars.CODE_PAGE', 'codePage').evaluate({});
    const { context, captured } = createContext({ path: 'items.dbf', codePage });
    await readDbfBlock.run(context);
    return captured.batches.flat();
  }

  it('allows the code page as an expression', () => {
    expect(parameterMeta(readDbfBlock, 'codePage')?.expression).toBe(true);
  });

  it('reads with a code page variable', async () => {
    const records = await runWithCodePageVariable('1250');
    expect(records[0]!.NAME).not.toBe('Mýdlo levandulové');
  });

  it('reads with an auto code page variable', async () => {
    const records = await runWithCodePageVariable('auto');
    expect(records[0]!.NAME).toBe('Mýdlo levandulové');
  });
});
