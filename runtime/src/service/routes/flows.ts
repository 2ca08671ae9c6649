import { Router } from 'express';
import { FlowAuthorError } from '@kuryr/nodes';
import { z } from 'zod';
import { parseFlowObject } from '../../flow/load-flow.js';
import { InvalidFlowError } from '../../flow/flow-problem.js';
import type { Flow } from '../../flow/flow-schema.js';
import { validateFlow } from '../../flow/validate-flow.js';
import { describeTrigger } from '../../flow/validate-triggers.js';
import { triggerKey } from '../../triggers/trigger-manager.js';
import type { ServiceContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { bodyObject, forceQuery, param, parseBody } from '../request.js';
import {
  exportTemplate,
  importTemplate,
  exportRequestSchema,
  importRequestSchema,
} from '../templates.js';

const duplicateSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
});

/** Creates the flow routes: CRUD, duplicate, variables, template export and import. */
export function flowRoutes(context: ServiceContext): Router {
  const router = Router();

  router.get('/flows', async (_request, response) => {
    const flows = await context.flows.list();
    response.json({
      flows: flows.map((flow) => ({
        id: flow.id,
        name: flow.name,
        description: flow.description,
        blocks: flow.blocks.length,
        running: context.runs.runningCount(flow.id),
      })),
    });
  });

  router.get('/flows/:id', async (request, response) => {
    response.json({ flow: await readFlow(context, param(request, 'id')) });
  });

  router.post('/flows', async (request, response) => {
    const flow = await checkFlow(context, bodyObject(request));
    if (await context.flows.exists(flow.id)) {
      throw new HttpError(409, 'FLOW_EXISTS', `a flow "${flow.id}" exists already`, {
        hint: 'Choose another id, or update the flow with PUT /api/v1/flows/ID.',
      });
    }
    await saveFlow(context, flow, 'flow created');
    response.status(201).json({ flow });
  });

  router.put('/flows/:id', async (request, response) => {
    const id = param(request, 'id');
    await readFlow(context, id);
    const flow = await checkFlow(context, { ...bodyObject(request), id });
    await saveFlow(context, flow, 'flow updated');
    response.json({ flow });
  });

  router.delete('/flows/:id', async (request, response) => {
    const id = param(request, 'id');
    const force = forceQuery(request);
    if (!(await context.flows.exists(id))) throw HttpError.notFound('flow', id);
    const running = context.runs.runningIds(id);
    if (running.length > 0 && !force) {
      context.logger.warn('running flow not deleted', { flowId: id, runIds: running });
      throw new HttpError(
        409,
        'FLOW_RUNNING',
        `flow "${id}" has ${running.length} running run(s)`,
        {
          hint: 'Wait for the run to finish or cancel it, or delete the flow anyway with ?force=true, which cancels its runs.',
        },
      );
    }
    // Queued runs go first, so that no cancelled run releases one of them.
    for (const runId of context.triggers.gate.cancelAllQueued(id)) {
      context.logger.info('queued run dropped because its flow was deleted', { flowId: id, runId });
    }
    for (const runId of running) {
      context.runs.cancel(runId, 'the flow was deleted');
      context.logger.info('run cancelled because its flow was deleted', { flowId: id, runId });
    }
    if (!(await context.flows.remove(id))) throw HttpError.notFound('flow', id);
    context.triggers.removeFlow(id);
    await context.triggerStore.removeScheduleMarks(id);
    await context.variables.replace(id, {});
    context.logger.info('flow deleted', { flowId: id });
    response.status(204).end();
  });

  router.post('/flows/:id/duplicate', async (request, response) => {
    const source = await readFlow(context, param(request, 'id'));
    const { id, name } = parseBody(duplicateSchema, request);
    const copy = await checkFlow(context, {
      ...source,
      id: id ?? (await freeId(context, `${source.id}-copy`)),
      name: name ?? `${source.name || source.id} (copy)`,
    });
    if (await context.flows.exists(copy.id)) {
      throw new HttpError(409, 'FLOW_EXISTS', `a flow "${copy.id}" exists already`);
    }
    await saveFlow(context, copy, 'flow duplicated');
    await context.variables.replace(copy.id, await context.variables.get(source.id));
    response.status(201).json({ flow: copy });
  });

  router.post('/flows/:id/export', async (request, response) => {
    const flow = await readFlow(context, param(request, 'id'));
    const options = parseBody(exportRequestSchema, request);
    response.json({ template: exportTemplate(flow, options, context.catalog) });
  });

  router.post('/flows/import', async (request, response) => {
    const body = parseBody(importRequestSchema, request);
    const flow = await importTemplate(context, body, (candidate) => checkFlow(context, candidate));
    await saveFlow(context, flow, 'flow imported');
    response.status(201).json({ flow });
  });

  router.get('/flows/:id/variables', async (request, response) => {
    const flow = await readFlow(context, param(request, 'id'));
    response.json({ values: await context.variables.get(flow.id), declared: flow.variables });
  });

  router.put('/flows/:id/variables', async (request, response) => {
    const flow = await readFlow(context, param(request, 'id'));
    const { values } = parseBody(variableValuesSchema, request);
    const unknown = Object.keys(values).filter((name) => !Object.hasOwn(flow.variables, name));
    if (unknown.length > 0) {
      throw HttpError.badRequest(
        `the flow does not declare ${unknown.join(', ')}`,
        `It declares: ${Object.keys(flow.variables).join(', ') || 'none'}.`,
      );
    }
    await context.variables.replace(flow.id, values);
    response.json({ values });
  });

  return router;
}

export const variableValuesSchema = z.strictObject({
  values: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()),
});

/** Reads a stored flow or raises 404. */
export async function readFlow(context: ServiceContext, id: string): Promise<Flow> {
  const flow = await context.flows.read(id);
  if (flow === undefined) throw HttpError.notFound('flow', id);
  return flow;
}

/**
 * Parses and validates a flow from a request, and checks that its folder triggers watch and
 * archive inside the data folder. Raises InvalidFlowError (422) with every problem, per block
 * and per trigger.
 */
async function checkFlow(context: ServiceContext, json: unknown): Promise<Flow> {
  const flow = parseFlowObject(json, 'in the request');
  const problems = validateFlow(flow, context.catalog);
  for (const [index, trigger] of (flow.triggers ?? []).entries()) {
    if (trigger.type !== 'folder') continue;
    for (const path of [trigger.path, trigger.archivePath]) {
      if (path === undefined) continue;
      try {
        await context.dataFolder.resolve(path);
      } catch (error) {
        if (!(error instanceof FlowAuthorError)) throw error;
        problems.push({ field: describeTrigger(trigger, index), message: error.message });
      }
    }
  }
  if (problems.length > 0) throw new InvalidFlowError('in the request', problems);
  return flow;
}

async function saveFlow(context: ServiceContext, flow: Flow, message: string): Promise<void> {
  await context.flows.write(flow);
  await context.triggerStore.removeScheduleMarks(flow.id, (flow.triggers ?? []).map(triggerKey));
  await context.triggers.setFlow(flow);
  context.logger.info(message, { flowId: flow.id });
}

async function freeId(context: ServiceContext, base: string): Promise<string> {
  let id = base;
  for (let n = 2; await context.flows.exists(id); n++) id = `${base}-${n}`;
  return id;
}
