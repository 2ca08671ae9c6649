import type { CatalogBlock, DataEntry, FlowDocument, FlowProblem, RunReport } from './types.js';

const BASE = 'api/v1';

/** An error response of the API: its HTTP status, code, message and per-block problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FlowProblem[] = [],
  ) {
    super(message);
  }
}

/** Name of the cookie and header that carry the CSRF token on state-changing requests. */
const CSRF_COOKIE = 'kuryr_csrf';
const CSRF_HEADER = 'x-csrf-token';

function readCsrfToken(): string | undefined {
  const entry = document.cookie.split('; ').find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return entry === undefined ? undefined : decodeURIComponent(entry.slice(CSRF_COOKIE.length + 1));
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = readCsrfToken();
  if (method !== 'GET' && csrf !== undefined) headers[CSRF_HEADER] = csrf;

  const response = await fetch(`${BASE}/${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (
      json as { error?: { code?: string; message?: string; problems?: FlowProblem[] } }
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? response.statusText,
      error?.problems ?? [],
    );
  }
  return json as T;
}

const query = (values: Record<string, string | number>): string =>
  new URLSearchParams(
    Object.entries(values).map(([key, value]) => [key, String(value)]),
  ).toString();

// TODO: these routes and bodies follow the service's planned API (REST under /api/v1); no
// running `kuryr start` has answered them yet, so each must be checked once the service exists.
/** The runtime's REST API, one method per route the editor uses. */
export const api = {
  login: (username: string, password: string) =>
    request<{ user: { name: string } }>('POST', 'auth/login', { username, password }),
  logout: () => request<void>('POST', 'auth/logout'),
  session: () => request<{ user: { name: string } }>('GET', 'auth/session'),

  catalog: () => request<{ blocks: CatalogBlock[] }>('GET', 'catalog'),

  listFlows: () => request<{ flows: { id: string; name: string }[] }>('GET', 'flows'),
  readFlow: (id: string) => request<FlowDocument>('GET', `flows/${encodeURIComponent(id)}`),
  createFlow: (flow: FlowDocument) => request<FlowDocument>('POST', 'flows', flow),
  updateFlow: (flow: FlowDocument) =>
    request<FlowDocument>('PUT', `flows/${encodeURIComponent(flow.id)}`, flow),
  exportTemplate: (id: string) =>
    request<FlowDocument>('POST', `flows/${encodeURIComponent(id)}/export`),
  importTemplate: (template: FlowDocument, values: { name: string; id: string }) =>
    request<FlowDocument>('POST', 'flows/import', { template, ...values }),

  startRun: (flowId: string, variables: Record<string, string>) =>
    request<{ runId: string }>('POST', 'runs', { flowId, variables }),
  cancelRun: (runId: string) => request<void>('POST', `runs/${encodeURIComponent(runId)}/cancel`),
  listRuns: (flowId: string) => request<{ runs: RunReport[] }>('GET', `runs?${query({ flowId })}`),
  readRun: (runId: string) => request<RunReport>('GET', `runs/${encodeURIComponent(runId)}`),

  evaluate: (expression: string, input: unknown, variables: Record<string, string>) =>
    request<{ result: unknown }>('POST', 'expressions/evaluate', { expression, input, variables }),
  listData: (path: string) => request<{ entries: DataEntry[] }>('GET', `data?${query({ path })}`),
  cronNext: (expression: string, count: number) =>
    request<{ times: string[] }>('GET', `cron/next?${query({ expression, count })}`),
  listCredentials: () =>
    request<{ credentials: { name: string; kind: string }[] }>('GET', 'credentials'),
  createCredential: (name: string, kind: string, secret: Record<string, string>) =>
    request<void>('POST', 'credentials', { name, kind, secret }),
};

/** URL of the WebSocket that streams run events; same origin as the page. */
export function liveStatusUrl(): string {
  const url = new URL(`${BASE}/ws`, document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
