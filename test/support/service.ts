import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { createDbfWriter, demoItemFields, generateItems } from '@kuryr/nodes';
import {
  CSRF_HEADER,
  LIVE_PATH,
  createLogger,
  startService,
  type RunningService,
  type ServiceOptions,
} from '@kuryr/runtime';
import { repositoryRoot } from './kuryr.js';

export const ADMIN_PASSWORD = 'test-admin-password-1';
export const eshopFlowPath = join(repositoryRoot, 'flows/eshop-stock-csv.json');
export const eshopItemsFixture = join(
  repositoryRoot,
  'flows/fixtures/eshop-stock-csv/items-852.dbf',
);

/** A service started for one test file in its own folders, with its log lines captured. */
export type TestService = {
  service: RunningService;
  url: string;
  work: string;
  stateDir: string;
  dataDir: string;
  /** Every log line so far, as written (JSON). */
  logText(): string;
  /** A client signed in as the administrator. */
  login(): Promise<ApiClient>;
  stop(): Promise<void>;
};

/** Starts the service on 127.0.0.1 with an ephemeral port; the data folder contains items.dbf. */
export async function startTestService(
  options: Partial<ServiceOptions> = {},
): Promise<TestService> {
  const work = await mkdtemp(join(tmpdir(), 'kuryr-service-'));
  const stateDir = options.stateDir ?? join(work, 'state');
  const dataDir = options.dataDir ?? join(work, 'data');
  await mkdir(join(dataDir, 'eshop'), { recursive: true });
  await cp(eshopItemsFixture, join(dataDir, 'items.dbf'));
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const service = await startService({
    port: 0,
    logger: await createLogger('debug', sink),
    env: { KURYR_ADMIN_PASSWORD: ADMIN_PASSWORD },
    ...options,
    stateDir,
    dataDir,
  });
  return {
    service,
    url: service.url,
    work,
    stateDir,
    dataDir,
    logText: () => chunks.join(''),
    async login() {
      const client = new ApiClient(service.url);
      await client.login('admin', ADMIN_PASSWORD);
      return client;
    },
    async stop() {
      await service.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A parsed JSON body; tests read its fields without declaring every response type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type ApiResponse = { status: number; body: Json; text: string; headers: Headers };

/** A real HTTP client of the API that keeps the session cookie and sends the CSRF token. */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  token: string | undefined;
  /** Every response body so far, for the secret checks. */
  readonly bodies: string[] = [];

  constructor(readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<ApiResponse> {
    const response = await this.post('/api/v1/login', { username, password });
    const setCookie = response.headers.get('set-cookie');
    if (response.status === 200 && setCookie) {
      this.cookie = setCookie.split(';')[0];
      this.csrfToken = response.body.csrfToken;
    }
    return response;
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body?: unknown) => this.request('POST', path, body);
  put = (path: string, body?: unknown) => this.request('PUT', path, body);
  delete = (path: string) => this.request('DELETE', path);

  async request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken) headers[CSRF_HEADER] = this.csrfToken;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    this.bodies.push(text);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  }

  /** Starts a run of a stored flow and waits until it is no longer running; returns its detail. */
  async runToEnd(flowId: string, variables: Record<string, string> = {}): Promise<Json> {
    const started = await this.post(`/api/v1/flows/${flowId}/runs`, { variables });
    if (started.status !== 202) throw new Error(`run did not start: ${started.text}`);
    return this.waitForRun(started.body.runId);
  }

  /** Waits until a run is neither queued nor running; returns its detail. */
  async waitForRun(runId: string): Promise<Json> {
    for (;;) {
      const detail = await this.get(`/api/v1/runs/${runId}`);
      if (!['queued', 'running'].includes(detail.body.run.status)) return detail.body.run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stores the e-shop flow under `id`. */
  async createEshopFlow(id = 'eshop-stock-csv'): Promise<ApiResponse> {
    const flow = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
    return this.post('/api/v1/flows', { ...flow, id });
  }
}

/** A live status connection that collects every message. */
export class LiveConnection {
  readonly messages: Json[] = [];
  private waiters: { test: (message: Json) => boolean; resolve: (message: Json) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      this.messages.push(message);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(message)) return true;
        waiter.resolve(message);
        return false;
      });
    });
  }

  static open(client: ApiClient, headers: Record<string, string> = {}): Promise<LiveConnection> {
    const url = client.baseUrl.replace(/^http/, 'ws') + LIVE_PATH;
    const socket = new WebSocket(url, {
      headers: {
        ...(client.cookie ? { cookie: client.cookie } : {}),
        ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
        ...headers,
      },
    });
    return new Promise((resolve, reject) => {
      const connection = new LiveConnection(socket);
      socket.once('open', () => resolve(connection));
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade rejected with ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  /** Resolves with the first message, past or future, that passes `test`. */
  next(test: (message: Json) => boolean): Promise<Json> {
    const seen = this.messages.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** Writes `count` generated warehouse items in code page 852, a table the e-shop flow reads. */
export async function writeItemsTable(path: string, count: number): Promise<void> {
  const writer = await createDbfWriter(path, { fields: demoItemFields, codePage: '852' });
  for (const batch of generateItems(count, 1)) await writer.write(batch);
  await writer.close();
}

/** Builds a block of a flow document at the origin, named after its id. */
export function flowBlock(id: string, type: string, parameters: Record<string, unknown>) {
  return { id, type, version: 1, name: id, position: { x: 0, y: 0 }, parameters };
}

/** Builds a wire of a flow document from an output port to an input port. */
export function flowWire(from: string, fromPort: string, to: string, toPort: string) {
  return { from: { block: from, port: fromPort }, to: { block: to, port: toPort } };
}
