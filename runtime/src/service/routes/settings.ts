import { Router } from 'express';
import { z } from 'zod';
import { describeBlock } from '../../catalog.js';
import { GLOBAL_SCOPE } from '../../storage/variable-store.js';
import type { Caller } from '../auth.js';
import type { ServiceContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { param, parseBody } from '../request.js';
import { variableValuesSchema } from './flows.js';

const tokenSchema = z.strictObject({ label: z.string().min(1).max(200) });

/** Creates the routes of the global variables, the node catalogue and the API tokens. */
export function settingsRoutes(context: ServiceContext): Router {
  const router = Router();

  router.get('/variables', async (_request, response) => {
    response.json({ values: await context.variables.get(GLOBAL_SCOPE) });
  });

  router.put('/variables', async (request, response) => {
    const { values } = parseBody(variableValuesSchema, request);
    await context.variables.replace(GLOBAL_SCOPE, values);
    response.json({ values });
  });

  router.get('/nodes', (_request, response) => {
    const nodes = [...context.catalog.values()].map(describeBlock);
    response.json({ nodes });
  });

  router.get('/tokens', async (_request, response) => {
    response.json({ tokens: await context.accounts.listTokens() });
  });

  router.post('/tokens', async (request, response) => {
    const { label } = parseBody(tokenSchema, request);
    const caller = response.locals.caller as Caller;
    const { id, token } = await context.accounts.createToken(caller.userName, label);
    context.logger.info('API token created', { tokenId: id, user: caller.userName });
    response.status(201).json({ id, label, token });
  });

  router.delete('/tokens/:id', async (request, response) => {
    const id = Number(param(request, 'id'));
    if (!Number.isInteger(id) || !(await context.accounts.removeToken(id))) {
      throw HttpError.notFound('API token', param(request, 'id'));
    }
    context.logger.info('API token deleted', { tokenId: id });
    await context.recheckLiveClients?.();
    response.status(204).end();
  });

  return router;
}
