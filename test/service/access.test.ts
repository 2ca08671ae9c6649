import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ApiClient,
  LiveConnection,
  startTestService,
  type TestService,
} from '../support/service.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService({ loginLimit: 20, loginWindowMs: 60 * 60 * 1000 });
});

afterAll(async () => {
  await service?.stop();
});

type Route = { method: string; path: string };
type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/** Lists the routes of the API routers; every router is mounted under /api/v1. */
function listApiRoutes(app: Express): Route[] {
  const routes: Route[] = [];
  const walk = (stack: Layer[], nested: boolean) => {
    for (const layer of stack) {
      if (layer.route !== undefined && nested) {
        for (const method of Object.keys(layer.route.methods)) {
          routes.push({ method: method.toUpperCase(), path: `/api/v1${layer.route.path}` });
        }
      } else if (layer.handle?.stack !== undefined) {
        walk(layer.handle.stack, true);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, false);
  return routes;
}

/** Routes open without a session: signing in and the first-start setup. */
const publicRoutes = new Set(['POST /api/v1/login', 'POST /api/v1/setup']);

describe('access', () => {
  it('answers every API route with 401 without login', async () => {
    const routes = listApiRoutes(service.service.app);
    expect(routes.length).toBeGreaterThan(25);
    const anonymous = new ApiClient(service.url);
    for (const route of routes) {
      if (publicRoutes.has(`${route.method} ${route.path}`)) continue;
      const path = route.path.replace(/:[a-z]+/g, 'x');
      const response = await anonymous.request(
        route.method,
        path,
        route.method === 'GET' ? undefined : {},
      );
      expect(response.status, `${route.method} ${path}`).toBe(401);
    }
    expect((await anonymous.get('/api/v1/no-such-route')).status).toBe(401);
  });

  it('answers health without login', async () => {
    const response = await new ApiClient(service.url).get('/api/v1/health');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
  });

  it('rejects the WebSocket without login', async () => {
    await expect(LiveConnection.open(new ApiClient(service.url))).rejects.toThrow('401');
  });

  it('rejects a cookie WebSocket from another site', async () => {
    const api = await service.login();
    await expect(LiveConnection.open(api, { origin: 'http://evil.example' })).rejects.toThrow(
      '403',
    );
  });

  it('sets an HttpOnly SameSite=Strict session cookie', async () => {
    const response = await new ApiClient(service.url).login('admin', ADMIN_PASSWORD);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('gives the session cookie the session lifetime', async () => {
    const before = Date.now();
    const response = await new ApiClient(service.url).login('admin', ADMIN_PASSWORD);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/Max-Age=43200(;|$)/);
    const session = await service.service.context.db
      .selectFrom('sessions')
      .select('expires_at')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const lifetimeMs = Date.parse(session.expires_at) - before;
    expect(Math.abs(lifetimeMs - 43_200_000)).toBeLessThan(60_000);
  });

  it('requires the CSRF token on state-changing requests', async () => {
    const api = await service.login();
    const token = api.csrfToken;
    api.csrfToken = undefined;
    const withoutToken = await api.put('/api/v1/variables', { values: {} });
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.body.error.code).toBe('CSRF_TOKEN_INVALID');
    api.csrfToken = 'wrong';
    expect((await api.put('/api/v1/variables', { values: {} })).status).toBe(403);
    api.csrfToken = token;
    expect((await api.put('/api/v1/variables', { values: {} })).status).toBe(200);
  });

  it('accepts an API token without CSRF and until it is deleted', async () => {
    const api = await service.login();
    const created = await api.post('/api/v1/tokens', { label: 'script' });
    expect(created.status).toBe(201);
    const script = new ApiClient(service.url);
    script.token = created.body.token;
    expect((await script.put('/api/v1/variables', { values: {} })).status).toBe(200);
    const live = await LiveConnection.open(script);
    await live.next((message) => message.type === 'snapshot');
    await live.close();
    const listed = await api.get('/api/v1/tokens');
    expect(listed.text).not.toContain(created.body.token);
    expect((await api.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204);
    expect((await script.get('/api/v1/flows')).status).toBe(401);
  });

  it('ends the session at logout', async () => {
    const api = await service.login();
    expect((await api.post('/api/v1/logout')).status).toBe(204);
    expect((await api.get('/api/v1/flows')).status).toBe(401);
  });

  it('rate-limits login attempts', async () => {
    const client = new ApiClient(service.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      statuses.push((await client.login('admin', 'wrong password')).status);
    }
    const refused = statuses.filter((status) => status === 401).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(20);
    expect(statuses.at(-1)).toBe(429);
    expect(service.logText()).toContain('login attempts rate-limited');
  });

  it('keeps the vault key file readable by its owner only', async () => {
    const info = await stat(join(service.stateDir, 'vault.key'));
    expect(info.mode & 0o777).toBe(0o600);
  });
});

describe('first start without a password', () => {
  it('logs a one-time setup link that creates the administrator', async () => {
    const fresh = await startTestService({ env: {} });
    try {
      const anonymous = new ApiClient(fresh.url);
      expect((await anonymous.login('admin', ADMIN_PASSWORD)).status).toBe(401);
      const link = /"setupLink":"([^"]+)"/.exec(fresh.logText())?.[1];
      expect(link).toBeDefined();
      const token = new URL(link!).searchParams.get('token');
      const wrong = await anonymous.post('/api/v1/setup', {
        token: 'wrong',
        password: 'a long enough password',
      });
      expect(wrong.status).toBe(401);
      const setup = await anonymous.post('/api/v1/setup', {
        token,
        password: 'a long enough password',
      });
      expect(setup.status).toBe(201);
      const again = await anonymous.post('/api/v1/setup', {
        token,
        password: 'another long password',
      });
      expect(again.status).toBe(409);
      expect((await anonymous.login('admin', 'a long enough password')).status).toBe(200);
      expect((await anonymous.get('/api/v1/flows')).status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });
});

describe('state folder inside the data folder', () => {
  it('stays out of reach of file blocks and the file list', async () => {
    const base = await mkdtemp(join(tmpdir(), 'kuryr-nested-state-'));
    const nested = await startTestService({
      dataDir: join(base, 'data'),
      stateDir: join(base, 'data', 'state'),
    });
    try {
      const api = await nested.login();
      const listed = await api.get('/api/v1/editor/files');
      const names = listed.body.entries.map((entry: { name: string }) => entry.name);
      expect(names).toContain('items.dbf');
      expect(names).not.toContain('state');
      expect((await api.get('/api/v1/editor/files?path=state')).status).toBe(403);

      await api.createEshopFlow();
      const run = await api.runToEnd('eshop-stock-csv', {
        SOURCE_DBF: 'state/vault.key',
        TARGET_CSV: 'eshop/stock.csv',
      });
      expect(run.status).toBe('failed');
      expect(run.error.code).toBe('PATH_OUTSIDE_DATA_FOLDER');
    } finally {
      await nested.stop();
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('editor files', () => {
  it('serves the built editor when its folder exists', async () => {
    const dist = join(service.work, 'editor-dist');
    await mkdir(dist);
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>Kurýr</title>');
    const withEditor = await startTestService({ editorDist: dist });
    try {
      const page = await fetch(`${withEditor.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Kurýr');
      const deepLink = await fetch(`${withEditor.url}/flows/abc`);
      expect(await deepLink.text()).toContain('Kurýr');
      expect((await fetch(`${withEditor.url}/api/v1/flows`)).status).toBe(401);
    } finally {
      await withEditor.stop();
    }
    expect((await fetch(`${service.url}/`)).status).toBe(404);
  });
});
