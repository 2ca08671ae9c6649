import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  eshopFlowPath,
  startTestService,
  type TestService,
} from '../support/service.js';

let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService();
  api = await service.login();
});

afterAll(async () => {
  await service?.stop();
});

describe('flow ids', () => {
  it('rejects an overlong id with 422', async () => {
    const response = await api.post('/api/v1/flows', {
      schemaVersion: 1,
      id: 'a'.repeat(300),
      name: 'long id',
      blocks: [],
    });
    expect(response.status).toBe(422);
    expect(response.body.error.problems[0].message).toContain('at most 100 characters');
  });
});

describe('state folder', () => {
  it('keeps the database private to its owner', async () => {
    const folder = await stat(service.stateDir);
    const database = await stat(join(service.stateDir, 'kuryr.sqlite'));
    expect(folder.mode & 0o077).toBe(0);
    expect(database.mode & 0o077).toBe(0);
  });

  it('narrows a state folder and database that others could read', async () => {
    const work = await mkdtemp(join(tmpdir(), 'kuryr-wide-state-'));
    const stateDir = join(work, 'state');
    await mkdir(stateDir, { mode: 0o755 });
    await chmod(stateDir, 0o755);
    await writeFile(join(stateDir, 'kuryr.sqlite'), '', { mode: 0o644 });
    await chmod(join(stateDir, 'kuryr.sqlite'), 0o644);
    const formerUmask = process.umask(0);
    let wide: TestService | undefined;
    try {
      wide = await startTestService({ stateDir });
      await (await wide.login()).createEshopFlow('private-wal');
      for (const name of ['', '-wal', '-shm']) {
        const file = await stat(join(stateDir, `kuryr.sqlite${name}`));
        expect(file.mode & 0o077, `kuryr.sqlite${name}`).toBe(0);
      }
      expect((await stat(stateDir)).mode & 0o077).toBe(0);
      expect(wide.logText()).toContain('state folder narrowed to its owner');
    } finally {
      process.umask(formerUmask);
      await wide?.stop();
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('expressions in the editor', () => {
  it('answers health during a slow regex', async () => {
    const order: string[] = [];
    const evaluation = api
      .post('/api/v1/editor/evaluate', {
        expression: `$match("${'a'.repeat(29)}!", /(a+)+$/)`,
        record: {},
      })
      .then((response) => {
        order.push('evaluate');
        return response;
      });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = fetch(`${service.url}/api/v1/health`).then(() => order.push('health'));
    const [evaluated] = await Promise.all([evaluation, health]);
    expect(order).toEqual(['health', 'evaluate']);
    expect(evaluated.status).toBe(422);
    expect(evaluated.body.error.code).toBe('EXPRESSION_TIMEOUT');
  }, 120_000);

  it('reuses its worker and replaces it after a timeout', async () => {
    const workerStarts = () => service.logText().split('expression worker started').length - 1;
    const evaluate = (expression: string, record: unknown = {}) =>
      api.post('/api/v1/editor/evaluate', { expression, record });

    const first = await evaluate('1 + 1');
    expect(first.status).toBe(200);
    expect(first.body.result).toBe(2);
    const starts = workerStarts();
    const second = await evaluate('name & "!"', { name: 'Kurýr' });
    expect(second.body.result).toBe('Kurýr!');
    expect(workerStarts()).toBe(starts);

    const stuck = await evaluate(`$match("${'a'.repeat(40)}!", /(a+)+$/)`);
    expect(stuck.status).toBe(422);
    expect(stuck.body.error.code).toBe('EXPRESSION_TIMEOUT');
    const after = await evaluate('$uppercase("ok")');
    expect(after.status).toBe(200);
    expect(after.body.result).toBe('OK');
    expect(workerStarts()).toBe(starts + 1);
  }, 120_000);

  it('survives an expression that exhausts memory', async () => {
    // JSONata flattens the 10,000,000 ranges into one array, which grows past any heap limit.
    const huge = await api.post('/api/v1/editor/evaluate', {
      expression: '$count([1..10000000].[1..10000000])',
      record: {},
    });
    expect(huge.status).toBe(422);
    expect(huge.body.error.code).toBe('EXPRESSION_OUT_OF_MEMORY');
    expect(huge.body.error.message).toBe(
      'the expression ran out of memory (limit 256 MB) and was stopped',
    );

    const health = await api.get('/api/v1/health');
    expect(health.status).toBe(200);
    const after = await api.post('/api/v1/editor/evaluate', { expression: '1 + 1', record: {} });
    expect(after.status).toBe(200);
    expect(after.body.result).toBe(2);
  }, 120_000);
});

describe('data folder listing', () => {
  it('lists the root for an empty path', async () => {
    const response = await api.get('/api/v1/editor/files?path=');
    expect(response.status).toBe(200);
    expect(response.body.entries.map((entry: { name: string }) => entry.name)).toContain(
      'items.dbf',
    );
  });
});

describe('template import', () => {
  it('rejects credentials that would be ignored', async () => {
    const stored = await api.post('/api/v1/credentials', {
      name: 'shopFtp',
      kind: 'ftp',
      values: { host: 'a.example', user: 'a', password: 'password of customer A' },
    });
    expect(stored.status).toBe(201);
    const template = {
      format: 'kuryr-template',
      version: 1,
      flow: {
        schemaVersion: 1,
        id: 'upload',
        name: 'Upload',
        credentials: ['shopFtp'],
        blocks: [
          {
            id: 'list',
            type: 'ftp.list',
            version: 1,
            name: 'List',
            position: { x: 0, y: 0 },
            parameters: { credential: 'shopFtp', folder: '/' },
          },
        ],
      },
    };

    const imported = await api.post('/api/v1/flows/import', {
      template,
      id: 'customer-b-upload',
      variables: {},
      credentials: {
        shopFtp: {
          kind: 'ftp',
          values: { host: 'b.example', user: 'b', password: 'password of customer B' },
        },
      },
    });
    expect(imported.status).toBe(409);
    expect(imported.body.error.message).toContain('shopFtp');
    expect((await api.get('/api/v1/flows/customer-b-upload')).status).toBe(404);
  });
});

describe('request bodies without login', () => {
  it('rejects them before parsing', async () => {
    const response = await fetch(`${service.url}/api/v1/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(401);
  });

  it('keeps login bodies small', async () => {
    const response = await new ApiClient(service.url).post('/api/v1/login', {
      username: 'admin',
      password: 'x'.repeat(20_000),
    });
    expect(response.status).toBe(413);
  });
});

describe('request bodies that are not a JSON object', () => {
  it('says what the body is', async () => {
    const nothing = await api.post('/api/v1/flows', null);
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.message).toContain('not null');
    const text = await api.post('/api/v1/credentials', 'x');
    expect(text.status).toBe(400);
    expect(text.body.error.message).toContain('not a string');
  });

  it('names a missing Content-Type', async () => {
    const response = await fetch(`${service.url}/api/v1/credentials`, {
      method: 'POST',
      headers: { cookie: api.cookie!, 'x-csrf-token': api.csrfToken! },
      body: JSON.stringify({ name: 'plain', kind: 'ftp', values: {} }),
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain('Content-Type: application/json');
  });
});

describe('folder triggers', () => {
  it('rejects a watched folder outside the data folder', async () => {
    const flow = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
    const response = await api.post('/api/v1/flows', {
      ...flow,
      id: 'watch-state',
      triggers: [{ type: 'folder', path: '../state', pattern: '*.dbf' }],
    });
    expect(response.status).toBe(422);
    expect(response.body.error.problems).toEqual([
      expect.objectContaining({
        field: 'trigger 1 (folder)',
        message: expect.stringContaining('leaves the data folder'),
      }),
    ]);
  });
});

describe('run list', () => {
  it('rejects a fractional limit with 400', async () => {
    const response = await api.get('/api/v1/runs?limit=1.5');
    expect(response.status).toBe(400);
    for (const limit of ['abc', '0', '-1', '1001', '']) {
      expect((await api.get(`/api/v1/runs?limit=${limit}`)).status, limit).toBe(400);
    }
    expect((await api.get('/api/v1/runs?limit=1000')).status).toBe(200);
  });
});
