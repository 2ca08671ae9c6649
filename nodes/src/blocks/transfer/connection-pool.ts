import { KuryrError } from '../../contract/errors.js';
import type { RemoteSession } from './remote-session.js';

/** Opens a new session to the pool's server. */
export type OpenSession = () => Promise<RemoteSession>;

/**
 * Called once per server when it refused a further connection while `granted` sessions were
 * open, so the run goes on with those.
 */
export type OnConnectionLimit = (granted: number, error: KuryrError) => void;

type Waiter = (session: RemoteSession | undefined) => void;

type HostPool = {
  idle: RemoteSession[];
  open: number;
  waiters: Waiter[];
  /** Sessions the server accepts at once, once it refused one more; else undefined. */
  granted: number | undefined;
};

/**
 * Sessions to file servers for one run: at most `limit` open per server and account, reused
 * by every block of the run. A session whose connection broke is closed and replaced.
 * When the server refuses a further session with a retryable error (e.g. FTP's 421 "too many
 * connections") while others are open, the pool keeps to the number open for the rest of the
 * run and waits for one of them instead of failing.
 */
export class ConnectionPool {
  private readonly hosts = new Map<string, HostPool>();

  /** Runs `use` with a session for `key`, waiting while `limit` sessions are busy. */
  async with<T>(
    key: string,
    limit: number,
    open: OpenSession,
    use: (session: RemoteSession) => Promise<T>,
    onLimit: OnConnectionLimit = () => {},
  ): Promise<T> {
    const pool = this.hostPool(key);
    const session = await this.acquire(pool, limit, open, onLimit);
    try {
      return await use(session);
    } finally {
      this.release(pool, session);
    }
  }

  /** Closes every idle session; reports problems that came with a disconnect. */
  async closeAll(onProblem: (server: string, problem: Error) => void): Promise<void> {
    const sessions = [...this.hosts.values()].flatMap((pool) => pool.idle.splice(0));
    this.hosts.clear();
    await Promise.all(
      sessions.map(async (session) => {
        const problem = await session.close();
        if (problem !== undefined) onProblem(session.server, problem);
      }),
    );
  }

  private hostPool(key: string): HostPool {
    let pool = this.hosts.get(key);
    if (pool === undefined) {
      pool = { idle: [], open: 0, waiters: [], granted: undefined };
      this.hosts.set(key, pool);
    }
    return pool;
  }

  private async acquire(
    pool: HostPool,
    limit: number,
    open: OpenSession,
    onLimit: OnConnectionLimit,
  ): Promise<RemoteSession> {
    for (;;) {
      const idle = pool.idle.pop();
      if (idle?.isUsable) return idle;
      if (idle !== undefined) {
        pool.open--;
        void idle.close();
        continue;
      }
      if (pool.open < Math.min(limit, pool.granted ?? limit)) {
        pool.open++;
        try {
          return await open();
        } catch (error) {
          pool.open--;
          // A login or certificate failure is not retryable, and with no session open there is
          // none to wait for: both fail the call.
          const isLimitReached = error instanceof KuryrError && error.retryable && pool.open > 0;
          if (!isLimitReached) {
            this.wakeOne(pool, undefined);
            throw error;
          }
          if (pool.granted === undefined) onLimit(pool.open, error);
          pool.granted = pool.open;
          continue;
        }
      }
      const handed = await new Promise<RemoteSession | undefined>((resolve) =>
        pool.waiters.push(resolve),
      );
      if (handed !== undefined) return handed;
    }
  }

  private release(pool: HostPool, session: RemoteSession): void {
    if (!session.isUsable) {
      pool.open--;
      void session.close();
      this.wakeOne(pool, undefined);
      return;
    }
    if (!this.wakeOne(pool, session)) pool.idle.push(session);
  }

  /** Hands `session` (or a free slot, when undefined) to the first waiter; false if none. */
  private wakeOne(pool: HostPool, session: RemoteSession | undefined): boolean {
    const waiter = pool.waiters.shift();
    if (waiter === undefined) return false;
    waiter(session);
    return true;
  }
}
