import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One case of the JSONata test suite, with its input and expectation resolved. */
export type SuiteCase = {
  /** Group folder and file name, with the position in the file when it holds several cases. */
  name: string;
  expression: string;
  input: unknown;
  bindings: Record<string, unknown>;
  expected:
    | { kind: 'result'; value: unknown; unordered: boolean }
    | { kind: 'undefined' }
    | { kind: 'error'; code: string };
  /** Evaluation limits that the case needs, as the suite's own runner applies them. */
  limits?: { timeoutMs: number; maxDepth: number };
};

const suiteFolder = fileURLToPath(new URL('../fixtures/jsonata-test-suite/', import.meta.url));

type RawCase = {
  expr?: string;
  'expr-file'?: string;
  data?: unknown;
  dataset?: string | null;
  bindings?: Record<string, unknown>;
  result?: unknown;
  undefinedResult?: boolean;
  code?: string;
  error?: { code: string };
  unordered?: boolean;
  timelimit?: number;
  depth?: number;
};

/** Reads every case of the suite: files may hold one case or an array of them. */
export function loadSuiteCases(): SuiteCase[] {
  const datasets = new Map<string, unknown>();
  const readDataset = (name: string) => {
    if (!datasets.has(name)) {
      const text = readFileSync(join(suiteFolder, 'datasets', `${name}.json`), 'utf8');
      datasets.set(name, JSON.parse(text));
    }
    return datasets.get(name);
  };

  const cases: SuiteCase[] = [];
  const groupsFolder = join(suiteFolder, 'groups');
  for (const group of readdirSync(groupsFolder).sort()) {
    const files = readdirSync(join(groupsFolder, group)).filter((file) => file.endsWith('.json'));
    for (const file of files.sort()) {
      const content = JSON.parse(readFileSync(join(groupsFolder, group, file), 'utf8')) as
        RawCase | RawCase[];
      const list = Array.isArray(content) ? content : [content];
      list.forEach((raw, index) => {
        const name = `${group}/${file}${list.length > 1 ? `#${index}` : ''}`;
        cases.push(resolveCase(raw, name, join(groupsFolder, group), readDataset));
      });
    }
  }
  return cases;
}

function resolveCase(
  raw: RawCase,
  name: string,
  folder: string,
  readDataset: (name: string) => unknown,
): SuiteCase {
  const expression =
    raw['expr-file'] === undefined
      ? raw.expr!
      : readFileSync(join(folder, raw['expr-file']), 'utf8');
  const input =
    raw.data !== undefined ? raw.data : raw.dataset ? readDataset(raw.dataset) : undefined;
  const code = raw.code ?? raw.error?.code;
  const expected: SuiteCase['expected'] =
    code !== undefined
      ? { kind: 'error', code }
      : raw.undefinedResult === true || !('result' in raw)
        ? { kind: 'undefined' }
        : { kind: 'result', value: raw.result, unordered: raw.unordered === true };
  const limits =
    raw.timelimit === undefined && raw.depth === undefined
      ? undefined
      : { timeoutMs: raw.timelimit ?? 5000, maxDepth: raw.depth ?? 500 };
  return { name, expression, input, bindings: raw.bindings ?? {}, expected, limits };
}

/** Converts jsonata's arrays and objects with extra flags into plain JSON-like values. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'function') return '<function>';
  if (value !== null && typeof value === 'object') {
    const flags = value as { _jsonata_lambda?: boolean; _jsonata_function?: boolean };
    if (flags._jsonata_lambda || flags._jsonata_function) return '<function>';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}
