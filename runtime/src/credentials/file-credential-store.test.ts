import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileCredentialStore } from './file-credential-store.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-credentials-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function credentialsFile(content: string): Promise<string> {
  const path = join(folder, 'credentials.json');
  await writeFile(path, content);
  return path;
}

describe('credentials for kuryr run', () => {
  it('reads a credential from the file, and an environment variable wins over it', async () => {
    const file = await credentialsFile(
      JSON.stringify({ 'e-shop': { host: 'ftp.example.cz', user: 'shop', password: 'p1' } }),
    );
    const fromFile = await createFileCredentialStore(file, {});
    expect(await fromFile.get('e-shop')).toEqual({
      host: 'ftp.example.cz',
      user: 'shop',
      password: 'p1',
    });

    const env = {
      KURYR_CREDENTIAL_E_SHOP: JSON.stringify({ host: 'sftp.example.cz', port: 2222 }),
    };
    const fromEnv = await createFileCredentialStore(file, env);
    expect(await fromEnv.get('e-shop')).toEqual({ host: 'sftp.example.cz', port: 2222 });
  });

  it('names a missing credential and where to give it', async () => {
    const store = await createFileCredentialStore(undefined, {});
    await expect(store.get('bank')).rejects.toMatchObject({
      code: 'CREDENTIAL_MISSING',
      hint: expect.stringContaining('KURYR_CREDENTIAL_BANK'),
    });
  });

  it('rejects unknown fields and bad JSON without repeating a secret', async () => {
    const file = await credentialsFile(JSON.stringify({ shop: { pasword: 'Tajné-heslo' } }));
    const store = await createFileCredentialStore(file, {
      KURYR_CREDENTIAL_X: '{"password":"Tajné',
    });

    const unknownField = store.get('shop');
    await expect(unknownField).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    await expect(unknownField).rejects.toThrow(/invalid fields: pasword/);
    await expect(unknownField).rejects.not.toThrow(/Tajné/);
    const badJson = store.get('x');
    await expect(badJson).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    await expect(badJson).rejects.not.toThrow(/Tajné/);
  });
});
