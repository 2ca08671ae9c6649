import type { Request } from 'express';
import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** Parses a JSON body with a schema; a mismatch is a 400 naming each wrong field. */
export function parseBody<S extends z.ZodType>(schema: S, request: Request): z.infer<S> {
  const parsed = schema.safeParse(request.body ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || undefined,
    message: issue.message,
  }));
  const summary = problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message));
  throw new HttpError(400, 'BAD_REQUEST', `invalid request body: ${summary.join('; ')}`, {
    problems,
  });
}

/** Returns a route parameter as a string. */
export function param(request: Request, name: string): string {
  const value = request.params[name];
  if (typeof value !== 'string') throw HttpError.badRequest(`missing ${name}`);
  return value;
}

/** Returns a query parameter as a string, or undefined when absent. */
export function queryString(request: Request, name: string): string | undefined {
  const value = request.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw HttpError.badRequest(`query parameter ${name} must be given once`);
  return value;
}
