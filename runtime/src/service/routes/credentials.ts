import { Router } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { forceQuery, param, parseBody } from '../request.js';

const kinds = ['ftp', 'sftp', 'smtp', 'imap', 'pgp-key', 'http-auth'] as const;
/**
 * Values as text, numbers or booleans, as the kinds' JSON Schemas type them (`port` is an
 * integer). The vault stores them as text, and the executor turns them back into their types.
 */
const valuesSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value)),
);
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
    const force = forceQuery(request);
    if (!(await context.credentials.exists(name))) throw HttpError.notFound('credential', name);
    const users = (await context.flows.list()).filter((flow) => flow.credentials.includes(name));
    const flowIds = users.map((flow) => flow.id);
    if (users.length > 0 && !force) {
      context.logger.warn('credential in use not deleted', { credential: name, flowIds });
      throw new HttpError(
        409,
        'CREDENTIAL_IN_USE',
        `the credential "${name}" is used by the flows ${flowIds.map((id) => `"${id}"`).join(', ')}`,
        {
          hint: 'Remove it from those flows first, or delete it anyway with ?force=true; their runs then fail until it exists again.',
        },
      );
    }
    if (!(await context.credentials.remove(name))) throw HttpError.notFound('credential', name);
    context.logger.info('credential deleted', { credential: name, ...(force ? { flowIds } : {}) });
    response.status(204).end();
  });

  return router;
}
