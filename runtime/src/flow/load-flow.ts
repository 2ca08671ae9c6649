import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { flowSchema, type Flow } from './flow-schema.js';
import { InvalidFlowError, type FlowProblem } from './flow-problem.js';

/** Reads and parses a flow file; throws InvalidFlowError naming each wrong field. */
export async function loadFlowFile(path: string): Promise<Flow> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reasons: Record<string, string> = {
      ENOENT: 'file not found',
      EISDIR: 'a folder, not a flow file',
      EACCES: 'permission denied',
    };
    const reason = reasons[(error as NodeJS.ErrnoException).code ?? ''] ?? String(error);
    throw new InvalidFlowError(path, [{ message: reason }]);
  }
  return parseFlow(text, path);
}

/** Parses flow JSON text; `source` names it in errors. */
export function parseFlow(text: string, source: string): Flow {
  let json: unknown;
  try {
    // Editors on Windows often save JSON with a byte order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InvalidFlowError(source, [
      { message: `not valid JSON: ${(error as Error).message}` },
    ]);
  }
  return parseFlowObject(json, source);
}

/** Checks parsed JSON against the flow schema; throws InvalidFlowError naming each wrong field. */
export function parseFlowObject(json: unknown, source: string): Flow {
  const parsed = flowSchema.safeParse(json);
  if (!parsed.success) throw new InvalidFlowError(source, describeIssues(parsed.error, json));
  return parsed.data;
}

function describeIssues(error: z.ZodError, json: unknown): FlowProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    if (path[0] === 'blocks' && path.length >= 2) {
      const block = (json as { blocks?: { id?: unknown }[] }).blocks?.[Number(path[1])];
      const id = typeof block?.id === 'string' ? block.id : `#${Number(path[1]) + 1}`;
      return { block: id, field: path.slice(2).join('.') || undefined, message: issue.message };
    }
    return { field: path.join('.') || undefined, message: issue.message };
  });
}
