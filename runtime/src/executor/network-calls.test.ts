import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, networkParameters } from '@kuryr/nodes';
import { buildFlow, collected } from '../../test-support/blocks.js';
import { testRunOptions } from '../../test-support/run-options.js';
import { createCapturingLogger, waitUntil } from '../../test-support/wait.js';
import { ManualClock } from '../triggers/manual-clock.js';
import { runFlow } from './executor.js';
import { readNetworkParameters, retryDelayMs } from './network-calls.js';

let server: Server;
let baseUrl: string;
let folder: string;
/** Requests the server received, by path. */
const requests = new Map<string, number>();
const hanging: ServerResponse[] = [];

/**
 * `/flaky/N/KEY` responds 503 to the first N requests, then 200 `ok`. `/missing` responds 404,
 * `/slow` responds after 400 ms, and `/hang` never responds.
 */
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-network-'));
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    const count = (requests.get(path) ?? 0) + 1;
    requests.set(path, count);
    const flaky = /^\/flaky\/(\d+)\//.exec(path);
    if (flaky !== null) {
      const failures = Number(flaky[1]);
      response.writeHead(count <= failures ? 503 : 200).end(count <= failures ? 'busy' : 'ok');
      return;
    }
    if (path === '/hang') {
      hanging.push(response);
      return;
    }
    if (path === '/slow') {
      setTimeout(() => response.writeHead(200).end('slow'), 400);
      return;
    }
    response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await new Promise((resolve) => server.close(resolve));
  await rm(folder, { recursive: true, force: true });
});

async function fetchOnce(parameters: Record<string, unknown>, clock: ManualClock, seed = 7) {
  const logger = createCapturingLogger();
  const flow = buildFlow(
    [
      ['fetch', 'test.fetch', parameters],
      ['sink', 'test.collect', { key: 'sink' }],
    ],
    ['fetch.records>sink.records'],
  );
  const report = await runFlow({
    flow,
    ...(await testRunOptions(folder)),
    logger,
    clock,
    random: createRandom(seed),
  });
  const retries = logger.lines.filter((line) => line.message === 'network call failed, retrying');
  return { report, retries };
}

describe('network retries', () => {
  it('retries a flaky server until it answers', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const url = `${baseUrl}/flaky/2/a`;
    const { report, retries } = await fetchOnce({ url, retries: 3, retryDelaySeconds: 2 }, clock);

    expect(report.status).toBe('succeeded');
    expect(collected.get('sink')).toEqual([{ status: 200, body: 'ok' }]);
    expect(requests.get('/flaky/2/a')).toBe(3);
    const parameters = readNetworkParameters({ retries: 3, retryDelaySeconds: 2 });
    const jitter = createRandom(7);
    const expected = [1, 2].map((retry) => retryDelayMs(retry, parameters, jitter));
    expect(retries.map((line) => line.fields.delayMs)).toEqual(expected);
    expect(retries.map((line) => line.fields.attempt)).toEqual([1, 2]);
    expect(retries[0]!.fields).toMatchObject({ blockId: 'fetch', code: 'HTTP_503' });
    expect(clock.now()).toBe(expected[0]! + expected[1]!);
    const fetchReport = report.blocks.find((block) => block.id === 'fetch')!;
    expect(fetchReport.warnings).toMatchObject([{ code: 'NETWORK_RETRY', count: 2 }]);
  });

  it('gives up after the configured retries', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const url = `${baseUrl}/flaky/10/b`;
    const { report, retries } = await fetchOnce({ url, retries: 2 }, clock);

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'HTTP_503', context: { block: 'fetch' } });
    expect(report.error!.message).toBe(`GET ${url} answered 503 (failed 3 attempts)`);
    expect(requests.get('/flaky/10/b')).toBe(3);
    expect(retries).toHaveLength(2);
  });

  it('does not retry an error that is not retryable', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const { report, retries } = await fetchOnce({ url: `${baseUrl}/missing` }, clock);

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'HTTP_404' });
    expect(requests.get('/missing')).toBe(1);
    expect(retries).toEqual([]);
  });

  it('times out a call that never answers', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const url = `${baseUrl}/hang`;
    const { report, retries } = await fetchOnce({ url, timeoutSeconds: 0.2, retries: 1 }, clock);

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'NETWORK_TIMEOUT', kind: 'environment' });
    expect(report.error!.message).toBe(`GET ${url} timed out after 0.2 s (failed 2 attempts)`);
    expect(requests.get('/hang')).toBe(2);
    expect(retries.map((line) => line.fields.code)).toEqual(['NETWORK_TIMEOUT']);
  });

  it('leaves the timeout to an operation that keeps an idle timeout', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const url = `${baseUrl}/slow`;
    const parameters = { url, timeoutSeconds: 0.2, retries: 0 };

    const whole = await fetchOnce(parameters, clock);
    const idle = await fetchOnce({ ...parameters, timeout: 'idle' }, clock);

    expect(whole.report.error).toMatchObject({ code: 'NETWORK_TIMEOUT' });
    expect(idle.report.error).toBeUndefined();
    expect(idle.report.status).toBe('succeeded');
  });

  it('stops waiting for a retry when the run is cancelled', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const logger = createCapturingLogger();
    const flow = buildFlow([['fetch', 'test.fetch', { url: `${baseUrl}/flaky/5/c` }]], []);
    const running = runFlow({
      flow,
      ...(await testRunOptions(folder)),
      logger,
      clock,
      signal: controller.signal,
    });
    await waitUntil(() => clock.pendingTimers === 1);
    controller.abort('SIGTERM');
    const report = await running;

    expect(report.status).toBe('cancelled');
    expect(requests.get('/flaky/5/c')).toBe(1);
  });
});

describe('retryDelayMs', () => {
  const parameters = networkParameters.parse({ retryDelaySeconds: 1, retryMaxDelaySeconds: 10 });

  it('doubles the delay for each retry', () => {
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(retry, parameters, () => 0))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('caps the delay at the maximum', () => {
    expect(retryDelayMs(6, parameters, () => 0)).toBe(10_000);
  });

  it('takes off at most half as jitter', () => {
    expect(retryDelayMs(3, parameters, () => 0.999_999)).toBe(2000);
    expect(retryDelayMs(3, parameters, () => 0.5)).toBe(3000);
  });
});
