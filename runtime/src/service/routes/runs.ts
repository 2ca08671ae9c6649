import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { toKuryrError } from '@kuryr/nodes';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { param, parseBody, queryString } from '../request.js';
import { isInside } from '../../storage/data-folder.js';
import type { StoredRun } from '../../storage/run-history.js';
import { reportError, type BlockReport } from '../../executor/run-report.js';
import { resolveRunPolicy } from '../../flow/trigger-schema.js';
import type { FireResult } from '../../triggers/run-gate.js';
import { readFlow } from './flows.js';
import { queuedRunCancelledError, queuedRunStoppedError } from '../run-manager.js';

const startSchema = z.strictObject({
  variables: z.record(z.string(), z.string()).default({}),
});

/** Items per output port in the run detail; the samples route returns up to STORED_SAMPLES. */
const DETAIL_SAMPLES = 20;

const statuses = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'completed_with_errors',
  'cancelled',
  'interrupted',
  'missed',
];

/** Creates the run routes: start, cancel, list and inspect runs, and download what a run produced. */
export function runRoutes(context: ServiceContext): Router {
  const router = Router();

  router.post('/flows/:id/runs', async (request, response) => {
    const { variables } = parseBody(startSchema, request);
    const flow = await readFlow(context, param(request, 'id'));
    const { overlap } = resolveRunPolicy(flow.runPolicy);
    const { gate } = context.triggers;
    // Checked in the same tick as fire(), so both read the same gate state.
    const queued = overlap === 'queue' && gate.isBusy(flow.id) && !gate.isQueueFull(flow.id);
    // A queued run gets its id now, and the history stores it as queued. startRun turns that
    // entry into the running run, also when the queue releases it before the entry is stored.
    const queuedId = queued ? randomUUID() : undefined;
    const firing = gate.fire(
      {
        flowId: flow.id,
        trigger: { type: 'manual' },
        variables,
        ...(queuedId === undefined ? {} : { runId: queuedId }),
      },
      overlap,
    );
    if (queuedId !== undefined) {
      await context.runs.recordQueued(flow, queuedId, variables);
      void firing.then((result) => endUnstartedQueuedRun(context, queuedId, result));
      response.status(202).json({ runId: queuedId, queued: true });
      return;
    }
    const result = await firing;
    if (result.started) {
      // A run that waits for a free run slot gets the same response as a run in its flow's queue.
      response
        .status(202)
        .json({ runId: result.runId, ...(result.queued ? { queued: true } : {}) });
      return;
    }
    throw notStarted(flow.id, result);
  });

  router.get('/runs', async (request, response) => {
    const status = queryString(request, 'status');
    if (status !== undefined && !statuses.includes(status)) {
      throw HttpError.badRequest(
        `unknown status "${status}"`,
        `Use one of ${statuses.join(', ')}.`,
      );
    }
    const limit = queryString(request, 'limit');
    if (limit !== undefined && !(/^[1-9][0-9]{0,3}$/.test(limit) && Number(limit) <= 1000)) {
      throw HttpError.badRequest(`limit must be a whole number from 1 to 1000, not "${limit}"`);
    }
    const runs = await context.history.list({
      flowId: queryString(request, 'flow'),
      status,
      since: timeQuery(queryString(request, 'since'), 'since'),
      until: timeQuery(queryString(request, 'until'), 'until'),
      ...(limit === undefined ? {} : { limit: Number(limit) }),
    });
    response.json({ runs: runs.map(summarize) });
  });

  router.get('/runs/:id', async (request, response) => {
    const run = await readRun(context, param(request, 'id'));
    response.json({ run: { ...run, blocks: run.blocks.map(trimSamples) } });
  });

  router.get('/runs/:id/blocks/:blockId/samples', async (request, response) => {
    const run = await readRun(context, param(request, 'id'));
    const blockId = param(request, 'blockId');
    const block = run.blocks.find((candidate) => candidate.id === blockId);
    if (block === undefined) throw HttpError.notFound(`block of run ${run.id}`, blockId);
    const port = queryString(request, 'port');
    const ports = context.catalog.get(block.type)?.outputs.map((output) => output.name) ?? [];
    const known = [...new Set([...ports, ...Object.keys(block.samples)])];
    if (port === undefined || !known.includes(port)) {
      throw HttpError.badRequest(
        port === undefined
          ? 'missing query parameter port'
          : `block ${blockId} has no output port "${port}"`,
        `Use one of: ${known.join(', ') || 'none'}.`,
      );
    }
    response.json({ items: block.samples[port] ?? [] });
  });

  router.post('/runs/:id/cancel', async (request, response) => {
    const run = await readRun(context, param(request, 'id'));
    // A run that waits for a run slot ends here. One in its flow's queue leaves the queue here,
    // and the route that queued it then stores it as cancelled (endUnstartedQueuedRun).
    const cancelled =
      context.runs.cancel(run.id) || context.triggers.gate.cancelQueued(run.flowId, run.id);
    if (!cancelled) {
      throw new HttpError(409, 'RUN_NOT_RUNNING', `run ${run.id} is neither running nor queued`);
    }
    context.logger.info('run cancel requested', {
      runId: run.id,
      flowId: run.flowId,
      status: run.status,
    });
    response.status(202).json({ runId: run.id });
  });

  router.get('/runs/:id/files', async (request, response) => {
    const run = await readRun(context, param(request, 'id'));
    const path = queryString(request, 'path');
    if (path === undefined) {
      response.json({ files: run.artifacts.map((file) => relativeName(context, file)) });
      return;
    }
    const file = run.artifacts.find((artifact) => relativeName(context, artifact) === path);
    if (file === undefined) throw HttpError.notFound(`file of run ${run.id}`, path);
    await sendArtifact(context, response, file);
  });

  return router;
}

/** Builds the error for an API start that the gate did not start. */
function notStarted(flowId: string, result: FireResult & { started: false }): unknown {
  if (result.reason === 'start-failed') return result.error;
  if (result.reason === 'cancelled') {
    return new HttpError(409, 'RUN_CANCELLED', 'the run was cancelled before it started');
  }
  if (result.reason === 'closed') {
    return new HttpError(503, 'SERVICE_STOPPING', 'the service is stopping');
  }
  const reason =
    result.reason === 'overlap'
      ? `flow "${flowId}" is running and its overlap policy is skip`
      : `the run queue of flow "${flowId}" is full`;
  return new HttpError(409, 'RUN_SKIPPED', `run not started: ${reason}`, {
    hint: 'Wait for the running run to finish, or set runPolicy.overlap to queue or parallel.',
  });
}

/**
 * Reads a run from the history. A run that is running here gets the samples of its live state:
 * the latest items of each output port, which the history stores only when the run ends.
 */
async function readRun(context: ServiceContext, id: string): Promise<StoredRun> {
  const run = await context.history.get(id);
  if (run === undefined) throw HttpError.notFound('run', id);
  if (run.status !== 'running') return run;
  const live = context.runs.liveBlocks(id);
  if (live === undefined) return run;
  const samples = new Map(live.map((block) => [block.id, block.samples]));
  const blocks = run.blocks.map((block) => ({ ...block, samples: samples.get(block.id) ?? {} }));
  return { ...run, blocks };
}

/** Ends the history entry of a queued run that the gate dropped or could not start. */
async function endUnstartedQueuedRun(
  context: ServiceContext,
  runId: string,
  result: FireResult,
): Promise<void> {
  if (result.started) return;
  const error = reportError(unstartedError(result));
  try {
    await context.runs.dropQueued(runId, error);
    context.logger.warn('queued run did not start', {
      runId,
      code: error.code,
      error: error.message,
    });
  } catch (failure) {
    context.logger.error('queued run could not be ended in the history', {
      runId,
      error: toKuryrError(failure).message,
    });
  }
}

/** Builds the error stored for a queued run that the gate dropped or could not start. */
function unstartedError(result: FireResult & { started: false }) {
  if (result.reason === 'start-failed') return toKuryrError(result.error);
  if (result.reason === 'cancelled') return queuedRunCancelledError();
  return queuedRunStoppedError();
}

/** Keeps the first DETAIL_SAMPLES items per port; the samples route returns all stored ones. */
function trimSamples(block: BlockReport): BlockReport {
  const samples = Object.fromEntries(
    Object.entries(block.samples).map(([port, items]) => [port, items.slice(0, DETAIL_SAMPLES)]),
  );
  return { ...block, samples };
}

function summarize(run: StoredRun) {
  const { blocks, artifacts: _artifacts, variables: _variables, ...summary } = run;
  const recordsOut = blocks.reduce((sum, block) => sum + block.recordsOut, 0);
  return { ...summary, blocks: blocks.length, recordsOut };
}

function timeQuery(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw HttpError.badRequest(`${name} must be an ISO 8601 time`);
  return new Date(time).toISOString();
}

function relativeName(context: ServiceContext, file: string): string {
  const root = context.dataFolder.root;
  return file.startsWith(root + '/') ? file.slice(root.length + 1) : file;
}

/** Sends a produced file, checked again against the data folder because it may have changed. */
async function sendArtifact(context: ServiceContext, response: Response, file: string) {
  const resolved = await context.dataFolder.resolve(relativeName(context, file), 'read');
  if (!isInside(context.dataFolder.root, resolved)) throw HttpError.notFound('file', file);
  await new Promise<void>((resolve, reject) => {
    response.download(resolved, (error) => {
      if (error === undefined || error === null) resolve();
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new HttpError(
            410,
            'FILE_GONE',
            `the file ${relativeName(context, file)} no longer exists`,
          ),
        );
      } else reject(error);
    });
  });
}
