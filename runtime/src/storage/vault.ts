import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '@kuryr/nodes';
import type { ServiceDatabase } from './database.js';

/** Environment variable that may hold the vault key: 32 bytes as 64 hex digits or base64. */
export const VAULT_KEY_VARIABLE = 'KURYR_VAULT_KEY';

const KEY_FILE = 'vault.key';
const CHECK_SETTING = 'vault.check';
const CHECK_TEXT = 'kuryr vault check';
const FORMAT_VERSION = 'v1';

/**
 * Seals and opens values with AES-256-GCM. A sealed value is `v1.IV.CIPHERTEXT.TAG` in base64
 * parts. The associated data binds it to its purpose, so a value copied under another credential
 * name does not open.
 */
export class Vault {
  constructor(private readonly key: Buffer) {}

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64'));
    return [FORMAT_VERSION, ...parts].join('.');
  }

  /** Opens a sealed value; throws when the key or the associated data do not match. */
  open(sealed: string, associatedData: string): string {
    const [version, iv, ciphertext, tag] = sealed.split('.');
    if (version !== FORMAT_VERSION || iv === undefined || ciphertext === undefined || !tag) {
      throw new Error('not a sealed vault value');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64')),
      decipher.final(),
    ]);
    return plaintext.toString('utf8');
  }
}

/**
 * Loads the vault key from KURYR_VAULT_KEY or `stateDir/vault.key` and checks it against the
 * check value sealed at the first start. Only a first start (no check value yet) without the
 * variable creates a key file, with mode 0600. Throws an EnvironmentError naming the fix for a
 * malformed, missing or wrong key, so credentials never turn silently unreadable.
 */
export async function openVault(
  db: ServiceDatabase,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Vault> {
  const check = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', CHECK_SETTING)
    .executeTakeFirst();
  const keyPath = join(stateDir, KEY_FILE);
  let key: Buffer;
  let source: string;
  if (env[VAULT_KEY_VARIABLE]) {
    key = parseKey(env[VAULT_KEY_VARIABLE], VAULT_KEY_VARIABLE);
    source = VAULT_KEY_VARIABLE;
  } else {
    source = keyPath;
    const text = await readFile(keyPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text !== undefined) key = parseKey(text.trim(), keyPath);
    else if (check === undefined) key = await createKeyFile(keyPath);
    else {
      throw new EnvironmentError('VAULT_KEY_MISSING', `the vault key is missing: ${keyPath}`, {
        hint: `Restore vault.key from a backup into the state folder, or set ${VAULT_KEY_VARIABLE}. Stored credentials cannot be read without it.`,
      });
    }
  }

  const vault = new Vault(key);
  if (check === undefined) {
    await db
      .insertInto('settings')
      .values({ key: CHECK_SETTING, value: vault.seal(CHECK_TEXT, CHECK_SETTING) })
      .execute();
    return vault;
  }
  try {
    if (vault.open(check.value, CHECK_SETTING) === CHECK_TEXT) return vault;
  } catch {
    // Reported below: the authentication tag did not match, so the key is another one.
  }
  throw new EnvironmentError('VAULT_KEY_WRONG', `the vault key from ${source} is wrong`, {
    hint: 'Use the key that the stored credentials were encrypted with (vault.key from a backup, or the old KURYR_VAULT_KEY).',
  });
}

function parseKey(text: string, source: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new EnvironmentError('VAULT_KEY_INVALID', `the vault key from ${source} is invalid`, {
      hint: 'A vault key is 32 bytes, written as 64 hex digits or in base64.',
    });
  }
  return key;
}

async function createKeyFile(path: string): Promise<Buffer> {
  const key = randomBytes(32);
  await writeFile(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
