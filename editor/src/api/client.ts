import type {
  CatalogBlock,
  CredentialKindSchema,
  DataEntry,
  FlowDocument,
  FlowProblem,
  RunReport,
} from './types.js';

const BASE = 'api/v1';

/** The `error` object of an API error response. */
type ErrorBody = {
  code?: string;
  message?: string;
  hint?: string;
  params?: Record<string, unknown>;
  context?: Record<string, unknown>;
  problems?: FlowProblem[];
};

/**
 * An error response of the API: its HTTP status, code, English message, hint, the values the
 * message was built from, where it happened, and per-block problems.
 */
export class ApiError extends Error {
  readonly hint: string | undefined;
  readonly params: Record<string, unknown>;
  readonly context: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FlowProblem[] = [],
    body: Pick<ErrorBody, 'hint' | 'params' | 'context'> = {},
  ) {
    super(message);
    this.hint = body.hint;
    this.params = body.params ?? {};
    this.context = body.context ?? {};
  }
}

/** Header that carries the session's CSRF token on state-changing requests. */
const CSRF_HEADER = 'x-csrf-token';

/** The CSRF token of the session, from the login or session response. */
let csrfToken: string | undefined;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers[CSRF_HEADER] = csrfToken;

  const response = await fetch(`${BASE}/${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (json as { error?: ErrorBody } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? response.statusText,
      error?.problems ?? [],
      error ?? {},
    );
  }
  return json as T;
}

const query = (values: Record<string, string | number>): string =>
  new URLSearchParams(
    Object.entries(values).map(([key, value]) => [key, String(value)]),
  ).toString();

type Session = { user: string; csrfToken?: string };

async function openSession(session: Promise<Session>): Promise<Session> {
  const result = await session;
  csrfToken = result.csrfToken;
  return result;
}

// NOTE: the routes below follow the runtime service as it stood while the editor was written
// (login, nodes, flows, runs, editor/evaluate, editor/files, editor/cron, live).

/** A run as the run list summarises it. */
export type RunSummary = Omit<RunReport, 'blocks' | 'runId'> & {
  id: string;
  blocks: number;
  recordsOut: number;
};

/** A flow prepared for the next customer, as export returns it and import takes it. */
export type FlowTemplate = { format: 'kuryr-template'; version: 1; flow: FlowDocument };

/** A literal parameter that export turns into the variable `variable`. */
/**
 * A parameter that export turns into a variable; `description` is the variable's description in
 * the editor's language, stored in the template as it is.
 */
export type TemplateParameter = {
  block: string;
  parameter: string;
  variable: string;
  description?: string;
};

/** A credential that import creates: its kind and its write-only values. */
export type NewCredential = { kind: string; values: Record<string, string> };

/** Returns whether parsed JSON is a template that export wrote. */
export function isFlowTemplate(json: unknown): json is FlowTemplate {
  const candidate = json as Partial<FlowTemplate> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.format === 'kuryr-template' &&
    typeof candidate.flow === 'object' &&
    Array.isArray(candidate.flow?.blocks)
  );
}

/** The runtime's REST API, one method per route the editor uses. */
export const api = {
  login: (username: string, password: string) =>
    openSession(request<Session>('POST', 'login', { username, password })),
  logout: () => request<void>('POST', 'logout'),
  session: () => openSession(request<Session>('GET', 'session')),

  /** Resolves when the service responds. Needs no session. */
  health: () => request<unknown>('GET', 'health'),

  catalog: () => request<{ nodes: CatalogBlock[] }>('GET', 'nodes'),

  listFlows: () => request<{ flows: { id: string; name: string }[] }>('GET', 'flows'),
  readFlow: (id: string) =>
    request<{ flow: FlowDocument }>('GET', `flows/${encodeURIComponent(id)}`),
  createFlow: (flow: FlowDocument) => request<{ flow: FlowDocument }>('POST', 'flows', flow),
  updateFlow: (flow: FlowDocument) =>
    request<{ flow: FlowDocument }>('PUT', `flows/${encodeURIComponent(flow.id)}`, flow),
  exportTemplate: (id: string, parameters: TemplateParameter[]) =>
    request<{ template: FlowTemplate }>('POST', `flows/${encodeURIComponent(id)}/export`, {
      parameters,
    }),
  importTemplate: (
    template: FlowTemplate,
    target: {
      name: string;
      id: string;
      variables: Record<string, string>;
      credentials: Record<string, NewCredential>;
    },
  ) => request<{ flow: FlowDocument }>('POST', 'flows/import', { template, ...target }),

  flowVariables: (flowId: string) =>
    request<{ values: Record<string, string> }>(
      'GET',
      `flows/${encodeURIComponent(flowId)}/variables`,
    ),

  startRun: (flowId: string, variables: Record<string, string>) =>
    request<{ runId: string }>('POST', `flows/${encodeURIComponent(flowId)}/runs`, { variables }),
  cancelRun: (runId: string) => request<void>('POST', `runs/${encodeURIComponent(runId)}/cancel`),
  listRuns: (flowId: string) =>
    request<{ runs: RunSummary[] }>('GET', `runs?${query({ flow: flowId })}`),
  readRun: async (runId: string): Promise<RunReport> => {
    const { run } = await request<{ run: Omit<RunReport, 'runId'> & { id: string } }>(
      'GET',
      `runs/${encodeURIComponent(runId)}`,
    );
    return { ...run, runId: run.id };
  },

  /** The stored samples of one output port of a block in a run, up to the runtime's limit. */
  blockSamples: (runId: string, blockId: string, port: string) =>
    request<{ items: unknown[] }>(
      'GET',
      `runs/${encodeURIComponent(runId)}/blocks/${encodeURIComponent(blockId)}/samples?${query({ port })}`,
    ),

  evaluate: (expression: string, record: unknown, variables: Record<string, string>) =>
    request<{ result: unknown }>('POST', 'editor/evaluate', { expression, record, variables }),
  listData: (path: string) =>
    request<{ entries: DataEntry[] }>('GET', `editor/files?${query({ path: path || '.' })}`),
  cronNext: (expression: string, count: number, timezone?: string) =>
    request<{ times: string[] }>(
      'GET',
      `editor/cron?${query({ expression, count, ...(timezone ? { timezone } : {}) })}`,
    ),
  listCredentials: () =>
    request<{ credentials: { name: string; kind: string }[] }>('GET', 'credentials'),
  createCredential: (name: string, kind: string, values: Record<string, string>) =>
    request<void>('POST', 'credentials', { name, kind, values }),
  credentialKinds: () => request<{ kinds: CredentialKindSchema[] }>('GET', 'credential-kinds'),
};

/** URL of the WebSocket that streams run events; same origin as the page. */
export function liveStatusUrl(): string {
  const url = new URL(`${BASE}/live`, document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
