import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { blockDefinitions, defineBlock } from '@kuryr/nodes';
import { createCatalog } from '@kuryr/runtime';
import {
  ApiClient,
  LiveConnection,
  startTestService,
  type TestService,
} from '../support/service.js';

const SECRET = 'planted-S3cret-value-7f3a';
const UPDATED_SECRET = 'planted-S3cret-update-9c1d';
/**
 * A block that opens the flow's credential and emits only the length of its password, as a
 * network block would use it without passing it on.
 */
const credentialProbe = defineBlock({
  type: 'test.credential-probe',
  version: 1,
  title: 'Credential probe',
  category: 'Test',
  icon: 'test',
  help: { summary: 'Opens a credential and emits the length of its password.' },
  inputs: [],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters: z.object({ credential: z.string() }),
  async run(context) {
    const values = await context.credentials.get(context.params.credential);
    context.logger.info('credential opened', { credential: context.params.credential });
    await context.outputs.records!.send([{ passwordLength: values.password?.length ?? 0 }]);
  },
});

let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService({
    catalog: createCatalog([...blockDefinitions, credentialProbe]),
  });
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
    await api.post('/api/v1/flows', {
      schemaVersion: 1,
      id: 'probe',
      credentials: ['shop-ftp'],
      blocks: [
        { id: 'probe', type: 'test.credential-probe', parameters: { credential: 'shop-ftp' } },
      ],
    });
    const probed = await api.runToEnd('probe');
    expect(probed.status).toBe('succeeded');
    expect(probed.blocks[0].samples.records).toEqual([{ passwordLength: SECRET.length }]);
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

  it('opens the sealed values for the runtime', async () => {
    expect(await service.service.context.credentials.values('shop-ftp')).toEqual({
      password: UPDATED_SECRET,
    });
  });

  it('accepts values typed as the kind schema gives them', async () => {
    const created = await api.post('/api/v1/credentials', {
      name: 'typed-sftp',
      kind: 'sftp',
      values: { host: '127.0.0.1', port: 2222, user: 'shop', hostKeyFingerprint: 'SHA256:x' },
    });
    expect(created.status).toBe(201);
    expect(await service.service.context.credentials.values('typed-sftp')).toEqual(
      expect.objectContaining({ port: '2222' }),
    );
    const updated = await api.put('/api/v1/credentials/typed-sftp', {
      kind: 'ftp',
      values: { host: '127.0.0.1', port: 2121, verifyCertificate: false },
    });
    expect(updated.status).toBe(200);
    expect(await service.service.context.credentials.values('typed-sftp')).toEqual({
      host: '127.0.0.1',
      port: '2121',
      verifyCertificate: 'false',
    });
    const nested = await api.put('/api/v1/credentials/typed-sftp', {
      kind: 'ftp',
      values: { host: { name: '127.0.0.1' } },
    });
    expect(nested.status).toBe(400);
  });
});
