import express, { type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpError } from './http-error.js';

/**
 * Parses JSON bodies up to `limit`. Mounted after the login check, so that a caller without a
 * session gets no body parsed; login and setup take a small limit of their own.
 */
export function jsonBodies(limit: string): RequestHandler {
  return express.json({ limit, strict: false });
}

/**
 * Returns the request's JSON object: `{}` without a body, 415 for a body of another type, 400
 * for JSON that is not an object.
 */
export function bodyObject(request: Request): object {
  const body: unknown = request.body;
  if (body === undefined) {
    const length = request.headers['content-length'];
    const sent =
      request.headers['transfer-encoding'] !== undefined ||
      (length !== undefined && length !== '0');
    if (!sent) return {};
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'the request body needs the header Content-Type: application/json',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const kind = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    throw HttpError.badRequest(`the request body must be a JSON object, not ${kind}`);
  }
  return body;
}

/** Parses a JSON body with a schema; a mismatch is a 400 naming each wrong field. */
export function parseBody<S extends z.ZodType>(schema: S, request: Request): z.infer<S> {
  const parsed = schema.safeParse(bodyObject(request));
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

/** Reads the `force` query parameter of a delete: `true` or `false`, default false. */
export function forceQuery(request: Request): boolean {
  const value = queryString(request, 'force');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw HttpError.badRequest(`query parameter force must be true or false, not "${value}"`);
}
