import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type {
  BlockContext,
  DataRecord,
  OutputPort,
  PortItem,
  WarningDetails,
} from '../../contract/block.js';
import { AbortedError } from '../../contract/errors.js';
import type { FileItem } from '../../contract/files.js';
import { silentLogger } from '../../contract/logger.js';
import { emptyCredentialStore } from '../../contract/credentials.js';
import { missingLedger } from '../../contract/ledger.js';
import { createExpressionEngine } from '../../expressions/engine.js';
import { Channel } from '../../streams/channel.js';
import { writeCsvBlock } from './write-csv.block.js';

type Parameters = z.infer<typeof writeCsvBlock.parameters>;
type Warning = { code: string; message: string; details?: WarningDetails };

/** An output port that keeps everything sent to it. */
class CollectingPort implements OutputPort<PortItem> {
  readonly items: PortItem[] = [];
  readonly isWired = true;

  async send(batch: readonly PortItem[]): Promise<void> {
    this.items.push(...batch);
  }
}

/** Builds a BlockContext by hand: an input channel, a collecting output and a temp folder. */
function createHarness(folder: string, parameters: Partial<Parameters> = {}) {
  const input = new Channel<PortItem>();
  const output = new CollectingPort();
  const warnings: Warning[] = [];
  const controller = new AbortController();
  let tempFiles = 0;
  const runStartedAt = new Date('2026-01-01T00:00:00Z');
  const context: BlockContext<Parameters> = {
    params: writeCsvBlock.parameters.parse(parameters),
    inputs: { records: input },
    outputs: { file: output },
    signal: controller.signal,
    logger: silentLogger,
    warn: (code, message, details) => warnings.push({ code, message, details }),
    reportItemError: async (error) => {
      throw error;
    },
    reportArtifact: () => {},
    expressions: createExpressionEngine({ variables: {}, runStartedAt, onWarning: () => {} }),
    files: { root: folder, resolve: async (path) => join(folder, path) },
    temp: { newPath: (suffix = '') => join(folder, `spool-${++tempFiles}${suffix}`) },
    transaction: { onCommit: () => {}, onRollback: () => {} },
    variables: {},
    runStartedAt,
    runId: 'run',
    flowId: 'flow',
    credentials: emptyCredentialStore,
    ledger: missingLedger,
  };
  const run = () => writeCsvBlock.run(context);
  return { input, output, warnings, controller, run };
}

/** Runs the block over the given batches and returns the one file it sent, with its bytes. */
async function writeBatches(
  folder: string,
  batches: readonly DataRecord[][],
  parameters: Partial<Parameters> = {},
) {
  const harness = createHarness(folder, parameters);
  const running = harness.run();
  for (const batch of batches) await harness.input.send(batch);
  harness.input.end();
  await running;

  expect(harness.output.items).toHaveLength(1);
  const file = harness.output.items[0] as FileItem;
  if (file.content.kind !== 'temp') throw new Error('expected a temporary file');
  return { file, bytes: await readFile(file.content.path), warnings: harness.warnings };
}

describe('writeCsvBlock', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kuryr-write-csv-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes all batches into one file', async () => {
    const { file, bytes } = await writeBatches(folder, [
      [{ code: 'A', price: 1.5 }],
      [{ code: 'B', price: 2 }, { code: 'C' }],
    ]);

    expect(bytes.toString()).toBe('code,price\r\nA,1.5\r\nB,2\r\nC,\r\n');
    expect(file).toMatchObject({
      name: 'export.csv',
      mediaType: 'text/csv',
      size: bytes.length,
      encoding: 'utf-8',
      records: 3,
    });
  });

  it('applies the parameters', async () => {
    const { file, bytes } = await writeBatches(folder, [[{ name: 'Kůň', price: -1.5, f: '=1' }]], {
      fileName: 'cenik.csv',
      delimiter: ';',
      lineEnding: 'LF',
      encoding: 'windows-1250',
      decimalComma: true,
      columns: ['price', 'name', 'f'],
    });

    expect(bytes).toEqual(Buffer.from('price;name;f\n-1,5;K\xf9\xf2;"\'=1"\n', 'latin1'));
    expect(file.name).toBe('cenik.csv');
    expect(file.encoding).toBe('windows-1250');
  });

  it('writes a header-only file for no records', async () => {
    const { file, bytes, warnings } = await writeBatches(folder, [], { columns: ['code', 'name'] });

    expect(bytes.toString()).toBe('code,name\r\n');
    expect(file.records).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('warns when no record and no columns give an empty file', async () => {
    const { file, warnings } = await writeBatches(folder, []);

    expect(file.size).toBe(0);
    expect(warnings.map((warning) => warning.code)).toEqual(['CSV_EMPTY']);
  });

  it('reports unmappable characters with record and column', async () => {
    const { bytes, warnings } = await writeBatches(
      folder,
      [[{ a: 'x' }], [{ a: 'y' }, { a: '€ 中' }]],
      {
        encoding: 'cp852',
      },
    );

    expect(bytes.toString('latin1')).toBe('a\r\nx\r\ny\r\n? ?\r\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('CSV_CHARACTER_UNMAPPABLE');
    expect(warnings[0]!.details).toEqual({ record: 3, field: 'a' });
  });

  it('writes a BOM for utf-8-bom and reports utf-8', async () => {
    const { file, bytes } = await writeBatches(folder, [[{ a: 'š' }]], { encoding: 'utf-8-bom' });

    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.encoding).toBe('utf-8');
  });

  it('streams many batches in order', async () => {
    const batches = Array.from({ length: 200 }, (_, batch) =>
      Array.from({ length: 50 }, (_, index) => ({ n: batch * 50 + index, text: 'x'.repeat(100) })),
    );

    const { bytes, file } = await writeBatches(folder, batches, { lineEnding: 'LF' });

    const lines = bytes.toString().split('\n');
    expect(lines).toHaveLength(10_002);
    expect(lines[1]).toBe(`0,${'x'.repeat(100)}`);
    expect(lines[10_000]).toBe(`9999,${'x'.repeat(100)}`);
    expect(file.records).toBe(10_000);
  });

  it('stops with AbortedError when the run is cancelled', async () => {
    const harness = createHarness(folder);
    const running = harness.run();
    await harness.input.send([{ a: 1 }]);
    harness.controller.abort();
    void harness.input.send([{ a: 2 }]);

    await expect(running).rejects.toBeInstanceOf(AbortedError);
    expect(harness.output.items).toEqual([]);
  });

  it('fails when the input fails', async () => {
    const harness = createHarness(folder);
    const running = harness.run();
    harness.input.fail(new Error('upstream failed'));

    await expect(running).rejects.toThrow('upstream failed');
    expect(harness.output.items).toEqual([]);
  });

  it('fails for a first record without fields', async () => {
    const harness = createHarness(folder);
    const running = harness.run();
    await harness.input.send([{}]);

    await expect(running).rejects.toMatchObject({ code: 'CSV_NO_COLUMNS' });
  });

  describe('parameters', () => {
    it('have defaults', () => {
      expect(writeCsvBlock.parameters.parse({})).toEqual({
        fileName: 'export.csv',
        header: true,
        delimiter: ',',
        quoteChar: '"',
        lineEnding: 'CRLF',
        encoding: 'utf-8',
        decimalComma: false,
        formulaGuard: true,
      });
    });

    it('reject a file name with folders', () => {
      expect(writeCsvBlock.parameters.safeParse({ fileName: 'out/x.csv' }).success).toBe(false);
      expect(writeCsvBlock.parameters.safeParse({ fileName: '..\\x.csv' }).success).toBe(false);
    });

    it('reject an unknown encoding', () => {
      expect(writeCsvBlock.parameters.safeParse({ encoding: 'latin1' }).success).toBe(false);
    });
  });
});
