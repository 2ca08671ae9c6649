import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type ApiClient, type TestService } from '../support/service.js';

type KindSchema = {
  kind: string;
  schema: {
    properties: Record<string, { type?: string; secret?: boolean; multiline?: boolean }>;
    required: string[];
  };
};

let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService();
  api = await service.login();
});

afterAll(async () => {
  await service?.stop();
});

async function kinds(): Promise<KindSchema[]> {
  const response = await api.get('/api/v1/credential-kinds');
  expect(response.status).toBe(200);
  return (response.body as { kinds: KindSchema[] }).kinds;
}

function secretFields(kind: KindSchema): string[] {
  return Object.entries(kind.schema.properties)
    .filter(([, property]) => property.secret === true)
    .map(([name]) => name);
}

describe('GET /credential-kinds', () => {
  it('lists the FTP fields in form order', async () => {
    const ftp = (await kinds()).find((entry) => entry.kind === 'ftp');
    expect(Object.keys(ftp?.schema.properties ?? {})).toEqual([
      'host',
      'port',
      'user',
      'password',
      'verifyCertificate',
      'caCertificate',
    ]);
    expect(ftp?.schema.required).toEqual(['host']);
    expect(secretFields(ftp!)).toEqual(['password']);
    expect(ftp?.schema.properties.port?.type).toBe('integer');
    expect(ftp?.schema.properties.verifyCertificate?.type).toBe('boolean');
    expect(ftp?.schema.properties.caCertificate?.multiline).toBe(true);
  });

  it('lists the SFTP key and host key fields', async () => {
    const sftp = (await kinds()).find((entry) => entry.kind === 'sftp');
    expect(Object.keys(sftp?.schema.properties ?? {})).toEqual([
      'host',
      'port',
      'user',
      'password',
      'privateKey',
      'passphrase',
      'hostKeyFingerprint',
    ]);
    expect(sftp?.schema.required).toEqual(['host', 'user', 'hostKeyFingerprint']);
    expect(secretFields(sftp!)).toEqual(['password', 'privateKey', 'passphrase']);
  });

  it('lists only kinds that blocks use', async () => {
    expect((await kinds()).map((entry) => entry.kind)).toEqual(['ftp', 'sftp']);
  });

  it('requires a signed-in session', async () => {
    const response = await fetch(`${service.url}/api/v1/credential-kinds`);
    expect(response.status).toBe(401);
  });
});
