import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFlow, collected } from '../../test-support/blocks.js';
import { testRunOptions } from '../../test-support/run-options.js';
import { runFlow, type RunFlowOptions } from './executor.js';
import type { RunEvent } from './run-events.js';
import type { Flow } from '../flow/flow-schema.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-executor-'));
  collected.clear();
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function listOrEmpty(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

async function run(flow: Flow, options: Partial<RunFlowOptions> = {}) {
  const events: RunEvent[] = [];
  const report = await runFlow({
    flow,
    ...(await testRunOptions(folder)),
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { report, events };
}

describe('runFlow', () => {
  it('gives every consumer every record on fan-out', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 23, batchSize: 4 }],
        ['a', 'test.collect', { key: 'a' }],
        ['b', 'test.collect', { key: 'b', delayMs: 1 }],
      ],
      ['source.records>a.records', 'source.records>b.records'],
    );
    const { report } = await run(flow);
    expect(report.status).toBe('succeeded');
    expect(collected.get('a')!.map((record) => record.n)).toEqual([...Array(23).keys()]);
    expect(collected.get('b')!.map((record) => record.n)).toEqual([...Array(23).keys()]);
    expect(report.blocks.find((block) => block.id === 'source')!.recordsOut).toBe(23);
  });

  it('concatenates inputs on fan-in', async () => {
    const flow = buildFlow(
      [
        ['x', 'test.generate', { count: 7, prefix: 'x' }],
        ['y', 'test.generate', { count: 5, prefix: 'y' }],
        ['map', 'transform.map', { expression: '{ "id": id }' }],
        ['sink', 'test.collect', { key: 'sink' }],
      ],
      ['x.records>map.records', 'y.records>map.records', 'map.records>sink.records'],
    );
    const { report } = await run(flow);
    const ids = collected.get('sink')!.map((record) => record.id as string);
    expect(ids).toHaveLength(12);
    expect(ids.filter((id) => id.startsWith('x'))).toEqual([
      'x0',
      'x1',
      'x2',
      'x3',
      'x4',
      'x5',
      'x6',
    ]);
    expect(ids.filter((id) => id.startsWith('y'))).toEqual(['y0', 'y1', 'y2', 'y3', 'y4']);
    expect(report.blocks.find((block) => block.id === 'map')!.recordsIn).toBe(12);
  });

  it('reports how each expression runs', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 3 }],
        ['map', 'transform.map', { expression: '{ "n": n * 2 }' }],
        ['filter', 'transform.filter', { condition: '$filter([n], function($v) { $v > 2 })' }],
        ['sink', 'test.collect', { key: 'kept' }],
      ],
      ['source.records>map.records', 'map.records>filter.records', 'filter.kept>sink.records'],
    );
    const { report } = await run(flow);
    const blockOf = (id: string) => report.blocks.find((block) => block.id === id)!;
    expect(blockOf('map').expressions).toEqual([{ parameter: 'expression', isCompiled: true }]);
    expect(blockOf('filter').expressions).toEqual([
      { parameter: 'condition', isCompiled: false, reason: 'the function $filter' },
    ]);
    expect(collected.get('kept')).toEqual([{ n: 4 }]);
  });

  it('routes record errors to a wired error port', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 6 }],
        ['map', 'transform.map', { expression: 'n = 3 ? $error("three is bad") : { "n": n }' }],
        ['ok', 'test.collect', { key: 'ok' }],
        ['errors', 'test.collect', { key: 'errors' }],
      ],
      ['source.records>map.records', 'map.records>ok.records', 'map.error>errors.records'],
    );
    const { report } = await run(flow);
    expect(report.status).toBe('completed_with_errors');
    expect(collected.get('ok')).toHaveLength(5);
    const [error] = collected.get('errors')!;
    expect(error).toMatchObject({ block: 'map', code: 'EXPRESSION_FAILED', item: { n: 3 } });
    expect(error!.context).toMatchObject({ record: 4, block: 'map' });
    expect(report.blocks.find((block) => block.id === 'map')!.errors).toBe(1);
  });

  it('fails the run on an unrouted error and leaves no file', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 20, batchSize: 1, failAfter: 10 }],
        ['sink', 'test.collect', { key: 'sink', delayMs: 5 }],
        ['read', 'file.read', { path: 'input.txt' }],
        ['write', 'file.write', { path: 'out/copy.txt' }],
      ],
      ['source.records>sink.records', 'read.file>write.file'],
    );
    await writeFile(join(folder, 'input.txt'), 'data');
    const { report } = await run(flow);
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'TEST_FAILURE', context: { block: 'source' } });
    expect(report.artifacts).toEqual([]);
    expect(await listOrEmpty(join(folder, 'out'))).toEqual([]);
    expect(report.blocks.find((block) => block.id === 'write')!.status).toMatch(
      /succeeded|cancelled/,
    );
  });

  it('writes the file only when the run succeeds', async () => {
    const flow = buildFlow(
      [
        ['read', 'file.read', { path: 'input.txt' }],
        ['write', 'file.write', { path: 'out/copy.txt' }],
      ],
      ['read.file>write.file'],
    );
    await writeFile(join(folder, 'input.txt'), 'data');
    const { report } = await run(flow);
    expect(report.status).toBe('succeeded');
    expect(await readFile(join(folder, 'out/copy.txt'), 'utf8')).toBe('data');
    expect(await readdir(join(folder, 'out'))).toEqual(['copy.txt']);
    expect(report.artifacts).toEqual([join(await realpath(folder), 'out/copy.txt')]);
  });

  it('holds back a fast producer for a slow consumer', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 400, batchSize: 1 }],
        ['sink', 'test.collect', { key: 'sink', delayMs: 1 }],
      ],
      ['source.records>sink.records'],
    );
    let maxAhead = 0;
    const { report } = await run(flow, {
      wireCapacity: 4,
      progressIntervalMs: 0,
      onEvent: (event) => {
        if (event.type === 'block.progress' && event.blockId === 'source') {
          const consumed = collected.get('sink')?.length ?? 0;
          maxAhead = Math.max(maxAhead, event.counts.recordsOut - consumed);
        }
      },
    });
    expect(report.status).toBe('succeeded');
    // Four queued batches, one being handed over and one in the consumer's hands.
    expect(maxAhead).toBeLessThanOrEqual(6);
    expect(collected.get('sink')).toHaveLength(400);
  });

  it('returns the run start from $now() for every record', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 30, batchSize: 3 }],
        ['map', 'transform.map', { expression: '{ "now": $now(), "millis": $millis() }' }],
        ['sink', 'test.collect', { key: 'sink', delayMs: 2 }],
      ],
      ['source.records>map.records', 'map.records>sink.records'],
    );
    const { report } = await run(flow);
    const values = new Set(collected.get('sink')!.map((record) => record.now));
    expect(values).toEqual(new Set([report.startedAt]));
    expect(new Set(collected.get('sink')!.map((record) => record.millis))).toEqual(
      new Set([Date.parse(report.startedAt)]),
    );
  });

  it('counts warnings and keeps the first examples', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 50 }],
        ['filter', 'transform.filter', { condition: 'n % 2 = 0 or $warn("odd " & n)' }],
        ['sink', 'test.collect', { key: 'sink' }],
      ],
      ['source.records>filter.records', 'filter.kept>sink.records'],
    );
    const { report } = await run(flow);
    const filter = report.blocks.find((block) => block.id === 'filter')!;
    expect(filter.warnings).toHaveLength(1);
    expect(filter.warnings[0]!.count).toBe(25);
    expect(filter.warnings[0]!.examples).toHaveLength(5);
    expect(filter.warnings[0]!.examples[0]).toEqual({ message: 'odd 1', details: { record: 2 } });
    expect(collected.get('sink')).toHaveLength(25);
  });

  it('keeps a capped sample of each output', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 100 }],
        ['sink', 'test.collect', { key: 'sink' }],
      ],
      ['source.records>sink.records'],
    );
    const { report } = await run(flow, { sampleSize: 7 });
    const source = report.blocks.find((block) => block.id === 'source')!;
    expect(source.samples.records).toHaveLength(7);
    expect(source.samples.records![0]).toEqual({ n: 0, id: '0' });
  });

  it('emits started, progress and finished events in order', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 100 }],
        ['sink', 'test.collect', { key: 'sink' }],
      ],
      ['source.records>sink.records'],
    );
    const { events } = await run(flow, { progressIntervalMs: 0 });
    const types = events
      .filter((event) => !('blockId' in event) || event.blockId === 'source')
      .map((e) => e.type);
    expect(types[0]).toBe('run.started');
    expect(types[1]).toBe('block.started');
    expect(types).toContain('block.progress');
    expect(types.at(-2)).toBe('block.finished');
    expect(types.at(-1)).toBe('run.finished');
  });

  it('stops every block when cancelled', async () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate', { count: 100_000, batchSize: 1 }],
        ['sink', 'test.collect', { key: 'sink', delayMs: 1 }],
      ],
      ['source.records>sink.records'],
    );
    const controller = new AbortController();
    const { report } = await run(flow, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'block.started' && event.blockId === 'sink')
          setTimeout(() => controller.abort(), 20);
      },
    });
    expect(report.status).toBe('cancelled');
    expect(collected.get('sink')!.length).toBeLessThan(100_000);
  });

  it('rejects an invalid flow before running', async () => {
    const flow = buildFlow([['map', 'transform.map', {}]], []);
    await expect(run(flow)).rejects.toThrow(/missing required parameter/);
  });
});
