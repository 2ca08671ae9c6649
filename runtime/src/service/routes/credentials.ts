import { Router } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { param, parseBody } from '../request.js';

const kinds = ['ftp', 'sftp', 'smtp', 'imap', 'pgp-key', 'http-auth'] as const;
const valuesSchema = z.record(z.string(), z.string());
const createSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter'),
  kind: z.enum(kinds),
  values: valuesSchema,
});
const updateSchema = z.strictObject({ kind: z.enum(kinds), values: valuesSchema });

/**
 * Creates the credential routes. Values are write-only. No response carries them, and the log lines name only the
 * credential and its kind.
 */
export function credentialRoutes(context: ServiceContext): Router {
  const router = Router();

  router.get('/credentials', async (_request, response) => {
    response.json({ credentials: await context.credentials.list() });
  });

  router.post('/credentials', async (request, response) => {
    const { name, kind, values } = parseBody(createSchema, request);
    if (!(await context.credentials.create(name, kind, values))) {
      throw new HttpError(409, 'CREDENTIAL_EXISTS', `a credential "${name}" exists already`);
    }
    context.logger.info('credential created', { credential: name, kind });
    response.status(201).json({ name, kind });
  });

  router.put('/credentials/:name', async (request, response) => {
    const name = param(request, 'name');
    const { kind, values } = parseBody(updateSchema, request);
    if (!(await context.credentials.update(name, kind, values))) {
      throw HttpError.notFound('credential', name);
    }
    context.logger.info('credential updated', { credential: name, kind });
    response.json({ name, kind });
  });

  router.delete('/credentials/:name', async (request, response) => {
    const name = param(request, 'name');
    if (!(await context.credentials.remove(name))) throw HttpError.notFound('credential', name);
    context.logger.info('credential deleted', { credential: name });
    response.status(204).end();
  });

  return router;
}
