import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type ServiceDatabase } from './database.js';
import { VaultCredentials } from './credential-store.js';
import { openVault, Vault } from './vault.js';

let folder: string;
let db: ServiceDatabase;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-vault-'));
  db = await openDatabase(folder);
});

afterEach(async () => {
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

describe('vault', () => {
  it('creates a key file with mode 0600 and reopens with it', async () => {
    const first = await openVault(db, folder, {});
    expect((await stat(join(folder, 'vault.key'))).mode & 0o777).toBe(0o600);
    const sealed = first.seal('secret value', 'purpose');
    const again = await openVault(db, folder, {});
    expect(again.open(sealed, 'purpose')).toBe('secret value');
  });

  it('seals with AES-256-GCM bound to its purpose', () => {
    const vault = new Vault(randomBytes(32));
    const sealed = vault.seal('secret value', 'credential:a');
    expect(sealed).not.toContain('secret');
    expect(vault.seal('secret value', 'credential:a')).not.toBe(sealed);
    expect(() => vault.open(sealed, 'credential:b')).toThrow();
    const [version, iv, ciphertext, tag] = sealed.split('.');
    const flipped = Buffer.from(ciphertext!, 'base64');
    flipped[0]! ^= 1;
    const tampered = [version, iv, flipped.toString('base64'), tag].join('.');
    expect(() => vault.open(tampered, 'credential:a')).toThrow();
  });

  it('rejects a wrong key at start', async () => {
    await openVault(db, folder, {});
    await writeFile(join(folder, 'vault.key'), randomBytes(32).toString('hex'));
    await expect(openVault(db, folder, {})).rejects.toThrow('vault key from');
    const other = { KURYR_VAULT_KEY: randomBytes(32).toString('base64') };
    await expect(openVault(db, folder, other)).rejects.toThrow('is wrong');
  });

  it('rejects a missing key once credentials may exist', async () => {
    await openVault(db, folder, {});
    await unlink(join(folder, 'vault.key'));
    await expect(openVault(db, folder, {})).rejects.toThrow('the vault key is missing');
  });

  it('rejects a malformed key', async () => {
    await expect(openVault(db, folder, { KURYR_VAULT_KEY: 'short' })).rejects.toThrow('is invalid');
  });

  it('takes the key from the environment', async () => {
    const env = { KURYR_VAULT_KEY: randomBytes(32).toString('hex') };
    const vault = await openVault(db, folder, env);
    const credentials = new VaultCredentials(db, vault);
    await credentials.create('shop-ftp', 'ftp', { password: 'p4ss' });
    const reopened = new VaultCredentials(db, await openVault(db, folder, env));
    expect(await reopened.values('shop-ftp')).toEqual({ password: 'p4ss' });
    await expect(stat(join(folder, 'vault.key'))).rejects.toThrow();
  });
});
