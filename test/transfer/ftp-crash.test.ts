import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFlow } from '../../runtime/test-support/blocks.js';
import { startFtpFaultProxy } from '../support/ftp-fault-proxy.js';
import { startFtpServer, type FtpServer } from '../../scripts/test-servers.mjs';
import { kuryrBin, runKuryr } from '../support/kuryr.js';

let server: FtpServer;
let work: string;

beforeAll(async () => {
  server = await startFtpServer();
  work = await mkdtemp(join(tmpdir(), 'kuryr-ftp-crash-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await server?.stop();
});

/** Writes the flow and a credentials file for `port`; returns the `kuryr run` arguments. */
async function runArguments(port: number): Promise<string[]> {
  const flow = buildFlow(
    [
      [
        'get',
        'ftp.download',
        {
          credential: 'shop',
          folder: '/orders',
          security: 'none',
          saveTo: 'in/',
          afterRun: 'delete',
        },
      ],
    ],
    [],
  );
  const credential = { host: '127.0.0.1', port, user: server.user, password: server.password };
  await writeFile(join(work, 'flow.json'), JSON.stringify(flow));
  await writeFile(join(work, 'credentials.json'), JSON.stringify({ shop: credential }));
  return [
    'run',
    join(work, 'flow.json'),
    '--data-dir',
    join(work, 'data'),
    '--state-dir',
    join(work, 'state'),
    '--credentials',
    join(work, 'credentials.json'),
    '--json',
  ];
}

describe('FTP Download when the process dies between the import and the delete', () => {
  it('imports the file once: the run after the restart skips it and deletes it', async () => {
    await mkdir(join(work, 'data'), { recursive: true });
    await server.put('orders/order-1.csv', 'A1;2\r\n');
    const proxy = await startFtpFaultProxy(server.port, { holdCommand: 'DELE' });

    // The proxy holds the DELE that follows the commit; the process is killed while it waits.
    const child = spawn(kuryrBin, await runArguments(proxy.port), { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await proxy.held;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await readdir(join(server.root, 'orders'))).toEqual(['order-1.csv']);
    expect(await readFile(join(work, 'data/in/order-1.csv'), 'utf8')).toBe('A1;2\r\n');
    await rm(join(work, 'data/in'), { recursive: true });

    // The same server address as before, so the ledger knows the file; nothing is held now.
    proxy.faults.holdCommand = undefined;
    const restarted = await runKuryr(await runArguments(proxy.port));
    await proxy.stop();
    const summary = JSON.parse(restarted.stdout) as {
      status: string;
      blocks: { filesOut: number }[];
    };

    expect(summary.status).toBe('succeeded');
    expect(summary.blocks[0]!.filesOut).toBe(0);
    expect(await readdir(join(work, 'data'))).toEqual([]);
    expect(await readdir(join(server.root, 'orders'))).toEqual([]);
  });
});

describe('FTP Download when the process dies between saveTo and the ledger', () => {
  it('imports the published file once, after a consumer took it', async () => {
    await rm(join(work, 'data'), { recursive: true, force: true });
    await rm(join(work, 'state'), { recursive: true, force: true });
    await mkdir(join(work, 'data'), { recursive: true });
    await server.put('orders/order-3.csv', 'C1;4\r\n');
    const marker = join(work, 'paused');

    // The test hook stops the run after its two publish actions (the download's pending record
    // and the rename into saveTo), before the clean-up phase writes the ledger.
    const child = spawn(kuryrBin, await runArguments(server.port), {
      stdio: 'ignore',
      env: { ...process.env, ...pauseAfterPublishActions(2, marker) },
    });
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await waitForFile(marker);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await rm(marker);
    expect(await readFile(join(work, 'data/in/order-3.csv'), 'utf8')).toBe('C1;4\r\n');
    expect(await readdir(join(server.root, 'orders'))).toEqual(['order-3.csv']);
    // A consumer takes the published file.
    await rm(join(work, 'data/in/order-3.csv'));

    const restarted = await runKuryr(await runArguments(server.port));
    const summary = JSON.parse(restarted.stdout) as Summary;

    expect(summary.status).toBe('succeeded');
    expect(summary.blocks[0]!.filesOut).toBe(0);
    expect(await readdir(join(work, 'data/in'))).toEqual([]);
    expect(await readdir(join(server.root, 'orders'))).toEqual([]);
  });

  it('imports a file again when the process died before publishing it', async () => {
    await rm(join(work, 'data'), { recursive: true, force: true });
    await rm(join(work, 'state'), { recursive: true, force: true });
    await mkdir(join(work, 'data'), { recursive: true });
    await server.put('orders/order-4.csv', 'D1;5\r\n');
    const marker = join(work, 'paused');

    // Stopped after the pending record, before the rename into saveTo.
    const child = spawn(kuryrBin, await runArguments(server.port), {
      stdio: 'ignore',
      env: { ...process.env, ...pauseAfterPublishActions(1, marker) },
    });
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await waitForFile(marker);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await rm(marker);
    expect(await readdir(join(work, 'data/in'))).toHaveLength(1);

    const restarted = await runKuryr(await runArguments(server.port));
    const summary = JSON.parse(restarted.stdout) as Summary;

    expect(summary.status).toBe('succeeded');
    expect(summary.blocks[0]!.filesOut).toBe(1);
    expect(await readdir(join(work, 'data/in'))).toEqual(['order-4.csv']);
    expect(await readFile(join(work, 'data/in/order-4.csv'), 'utf8')).toBe('D1;5\r\n');
    expect(await readdir(join(server.root, 'orders'))).toEqual([]);
  });
});

/** The environment of the commit's test hook: pause after `count` publish actions. */
function pauseAfterPublishActions(count: number, marker: string): NodeJS.ProcessEnv {
  return {
    KURYR_TEST_PAUSE_AFTER_PUBLISH_ACTIONS: String(count),
    KURYR_TEST_PAUSE_MARKER: marker,
  };
}

/** Resolves once `path` exists; the test's own time limit ends a wait that never does. */
async function waitForFile(path: string): Promise<void> {
  while (
    !(await access(path).then(
      () => true,
      () => false,
    ))
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('FTP Download when two runs of one flow overlap', () => {
  it('skips a file another live run claimed, and takes it once that run died', async () => {
    await rm(join(work, 'data'), { recursive: true, force: true });
    await rm(join(work, 'state'), { recursive: true, force: true });
    await mkdir(join(work, 'data'), { recursive: true });
    await server.put('orders/order-2.csv', 'B1;3\r\n');
    const proxy = await startFtpFaultProxy(server.port, { holdCommand: 'RETR' });

    // The first run claims the file and then waits for its download, which the proxy holds.
    const first = spawn(kuryrBin, await runArguments(proxy.port), { stdio: 'ignore' });
    const exited = new Promise((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
    await proxy.held;
    proxy.faults.holdCommand = undefined;

    const overlapping = await runKuryr(await runArguments(proxy.port));
    const skipped = JSON.parse(overlapping.stdout) as Summary;
    expect(skipped.status).toBe('succeeded');
    expect(skipped.blocks[0]!.filesOut).toBe(0);
    expect(skipped.blocks[0]!.warnings.map((warning) => warning.code)).toEqual([
      'FILES_CLAIMED_BY_OTHER_RUN',
    ]);
    expect(skipped.blocks[0]!.warnings[0]!.examples[0]!.message).toContain('order-2.csv');
    expect(await readdir(join(work, 'data'))).toEqual([]);
    expect(await readdir(join(server.root, 'orders'))).toEqual(['order-2.csv']);

    // A claim of a process that died is released: the next run takes the file.
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const after = await runKuryr(await runArguments(proxy.port));
    await proxy.stop();
    const taken = JSON.parse(after.stdout) as Summary;
    expect(taken.status).toBe('succeeded');
    expect(taken.blocks[0]!.filesOut).toBe(1);
    expect(await readFile(join(work, 'data/in/order-2.csv'), 'utf8')).toBe('B1;3\r\n');
    expect(await readdir(join(server.root, 'orders'))).toEqual([]);
  });
});

type Summary = {
  status: string;
  blocks: {
    filesOut: number;
    warnings: { code: string; examples: { message: string }[] }[];
  }[];
};
