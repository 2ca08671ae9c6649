import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  LiveConnection,
  startTestService,
  type TestService,
} from '../support/service.js';

const SECRET = 'planted-S3cret-value-7f3a';
const UPDATED_SECRET = 'planted-S3cret-update-9c1d';
let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService();
  api = await service.login();
});

afterAll(async () => {
  await service?.stop();
});

/** Reads every file under `folder`. */
async function readAll(folder: string): Promise<Buffer[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(files.map((entry) => readFile(join(entry.parentPath, entry.name))));
}

describe('planted secret', () => {
  it('never appears in a response, export, log, sample or stored file', async () => {
    const live = await LiveConnection.open(api);
    const created = await api.post('/api/v1/credentials', {
      name: 'shop-ftp',
      kind: 'ftp',
      values: { host: 'ftp.example.test', user: 'shop', password: SECRET },
    });
    expect(created.status).toBe(201);

    await api.createEshopFlow();
    const stored = (await api.get('/api/v1/flows/eshop-stock-csv')).body.flow;
    await api.put('/api/v1/flows/eshop-stock-csv', { ...stored, credentials: ['shop-ftp'] });
    const run = await api.runToEnd('eshop-stock-csv', {
      SOURCE_DBF: 'items.dbf',
      TARGET_CSV: 'eshop/stock.csv',
    });
    expect(run.status).toBe('succeeded');
    await api.get('/api/v1/runs');
    await api.get('/api/v1/credentials');
    const exported = await api.post('/api/v1/flows/eshop-stock-csv/export', {});
    expect(exported.body.template.flow.credentials).toEqual(['shop-ftp']);
    const updated = await api.put('/api/v1/credentials/shop-ftp', {
      kind: 'ftp',
      values: { password: UPDATED_SECRET },
    });
    expect(updated.status).toBe(200);
    const duplicate = await api.post('/api/v1/credentials', {
      name: 'shop-ftp',
      kind: 'ftp',
      values: { password: SECRET },
    });
    expect(duplicate.status).toBe(409);
    const listed = await api.get('/api/v1/credentials');
    expect(listed.body.credentials).toEqual([
      expect.objectContaining({ name: 'shop-ftp', kind: 'ftp' }),
    ]);
    await live.close();

    for (const secret of [SECRET, UPDATED_SECRET]) {
      for (const body of api.bodies) expect(body).not.toContain(secret);
      for (const message of live.messages) expect(JSON.stringify(message)).not.toContain(secret);
      expect(service.logText()).not.toContain(secret);
      for (const file of await readAll(service.stateDir)) {
        expect(file.includes(secret)).toBe(false);
      }
    }
    expect(service.logText()).toContain('credential updated');
  });

  it('opens the sealed values for the runtime only', async () => {
    expect(await service.service.context.credentials.values('shop-ftp')).toEqual({
      password: UPDATED_SECRET,
    });
  });
});
