import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { ServiceDatabase } from './database.js';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
) => Promise<Buffer>;

/** A session lasts this long after login; the session cookie's Max-Age matches it. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** A signed-in session: who, and the token state-changing requests must echo. */
export type Session = { userName: string; csrfToken: string };

/** Users, sessions and API tokens. Session ids and tokens are stored only as SHA-256 hashes. */
export class AccountStore {
  constructor(private readonly db: ServiceDatabase) {}

  async hasUsers(): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('name').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async createUser(name: string, password: string): Promise<void> {
    await this.db
      .insertInto('users')
      .values({ name, password_hash: await hashPassword(password), created_at: now() })
      .execute();
  }

  /** Returns true when the user exists and the password matches. */
  async checkPassword(name: string, password: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('password_hash')
      .where('name', '=', name)
      .executeTakeFirst();
    // Hashing also for an unknown user keeps the response time from revealing which names exist.
    const stored = row?.password_hash ?? `scrypt$${'0'.repeat(32)}$${'0'.repeat(128)}`;
    const matches = await verifyPassword(password, stored);
    return row !== undefined && matches;
  }

  /** Opens a session; returns its id, which only the client keeps. */
  async openSession(userName: string): Promise<{ id: string; session: Session }> {
    const id = randomToken();
    const session = { userName, csrfToken: randomToken() };
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: sha256(id),
        user_name: userName,
        csrf_token: session.csrfToken,
        created_at: now(),
        expires_at: new Date(Date.now() + SESSION_LIFETIME_MS).toISOString(),
      })
      .execute();
    return { id, session };
  }

  async findSession(id: string): Promise<Session | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['user_name', 'csrf_token', 'expires_at'])
      .where('id_hash', '=', sha256(id))
      .executeTakeFirst();
    if (row === undefined || row.expires_at <= now()) return undefined;
    return { userName: row.user_name, csrfToken: row.csrf_token };
  }

  async closeSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', sha256(id)).execute();
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now()).execute();
  }

  /** Creates an API token; returns it once, because only its hash is stored. */
  async createToken(userName: string, label: string): Promise<{ id: number; token: string }> {
    const token = `kuryr_${randomToken()}`;
    const row = await this.db
      .insertInto('api_tokens')
      .values({ label, token_hash: sha256(token), user_name: userName, created_at: now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, token };
  }

  async listTokens(): Promise<
    { id: number; label: string; userName: string; createdAt: string }[]
  > {
    const rows = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'label', 'user_name', 'created_at'])
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      label: row.label,
      userName: row.user_name,
      createdAt: row.created_at,
    }));
  }

  async removeToken(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Returns the user of an API token, or undefined for an unknown token. */
  async findTokenUser(token: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select('user_name')
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    return row?.user_name;
  }
}

/** Returns a random URL-safe token of 256 bits. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 64);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || saltHex === undefined || hashHex === undefined) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(password, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

function now(): string {
  return new Date().toISOString();
}
