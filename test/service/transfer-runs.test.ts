import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSftpServer, type SftpServer } from '../../scripts/test-servers.mjs';
import {
  flowBlock,
  flowWire,
  startTestService,
  type ApiClient,
  type TestService,
} from '../support/service.js';

let service: TestService;
let api: ApiClient;
let server: SftpServer;

beforeAll(async () => {
  [service, server] = await Promise.all([startTestService(), startSftpServer()]);
  api = await service.login();
  const created = await api.post('/api/v1/credentials', {
    name: 'shop-sftp',
    kind: 'sftp',
    values: {
      host: '127.0.0.1',
      port: String(server.port),
      user: server.user,
      privateKey: server.privateKey,
      hostKeyFingerprint: server.hostKeyFingerprint,
    },
  });
  expect(created.status, created.text).toBe(201);
});

afterAll(async () => {
  await service?.stop();
  await server?.stop();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function transferFlow(id: string, blocks: unknown[], wires: unknown[] = []) {
  return { schemaVersion: 1, id, name: id, credentials: ['shop-sftp'], blocks, wires };
}

describe('transfer flows run by the service', () => {
  it('uploads and downloads over SFTP in a worker, and imports once', async () => {
    const content = randomBytes(3_000_000);
    await writeFile(join(service.dataDir, 'export.bin'), content);
    const upload = transferFlow(
      'upload',
      [
        flowBlock('read', 'file.read', { path: 'export.bin' }),
        flowBlock('put', 'sftp.upload', { credential: 'shop-sftp', folder: server.root }),
      ],
      [flowWire('read', 'file', 'put', 'file')],
    );
    const download = transferFlow('download', [
      flowBlock('get', 'sftp.download', {
        credential: 'shop-sftp',
        folder: server.root,
        pattern: 'export.bin',
        saveTo: 'in/',
      }),
    ]);
    expect((await api.post('/api/v1/flows', upload)).status).toBe(201);
    expect((await api.post('/api/v1/flows', download)).status).toBe(201);

    const uploaded = await api.runToEnd('upload');
    expect(uploaded.error).toBeUndefined();
    expect(uploaded.status).toBe('succeeded');
    expect(await readdir(server.root)).toEqual(['export.bin']);
    expect(sha256(await readFile(join(server.root, 'export.bin')))).toBe(sha256(content));

    const downloaded = await api.runToEnd('download');
    expect(downloaded.error).toBeUndefined();
    expect(downloaded.status).toBe('succeeded');
    expect(sha256(await readFile(join(service.dataDir, 'in/export.bin')))).toBe(sha256(content));

    const again = await api.runToEnd('download');
    expect(again.status).toBe('succeeded');
    expect(again.blocks[0].warnings.map((warning: { code: string }) => warning.code)).toContain(
      'FILES_ALREADY_PROCESSED',
    );
  });
});
