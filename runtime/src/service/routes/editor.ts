import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Cron } from 'croner';
import { Router } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { parseBody, queryString } from '../request.js';

const evaluateSchema = z.strictObject({
  expression: z.string(),
  record: z.unknown().default({}),
  variables: z.record(z.string(), z.string()).default({}),
});

/** Maximum entries listed per folder; the response marks a longer folder as truncated. */
const MAX_ENTRIES = 1000;
const MAX_CRON_TIMES = 50;

/** Creates the editor's helper routes: expressions, the data folder, cron previews. */
export function editorRoutes(context: ServiceContext): Router {
  const router = Router();

  router.post('/editor/evaluate', async (request, response) => {
    const { expression, record, variables } = parseBody(evaluateSchema, request);
    const answer = await context.evaluator.evaluate({
      expression,
      record,
      variables,
      runStartedAt: new Date().toISOString(),
    });
    if ('error' in answer && answer.error.code === 'EXPRESSION_TIMEOUT') {
      context.logger.warn('editor expression timed out', { expression: expression.slice(0, 200) });
    }
    response.status('error' in answer ? 422 : 200).json(answer);
  });

  router.get('/editor/files', async (request, response) => {
    const path = queryString(request, 'path') || '.';
    const folder = await context.dataFolder.resolve(path, 'read');
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
        throw HttpError.notFound('folder in the data folder', path);
      }
      throw error;
    });
    const entries = [];
    for (const name of names.sort().slice(0, MAX_ENTRIES)) {
      // The state folder may lie inside the data folder; resolve() rejects what is inside it.
      const inside = await context.dataFolder
        .resolve(join(folder, name), 'read')
        .catch(() => undefined);
      if (inside === undefined) continue;
      const info = await stat(inside).catch(() => undefined);
      if (info === undefined) continue;
      entries.push({
        name,
        kind: info.isDirectory() ? 'folder' : 'file',
        size: info.isDirectory() ? undefined : info.size,
        modifiedAt: info.mtime.toISOString(),
      });
    }
    response.json({ path, entries, truncated: names.length > MAX_ENTRIES });
  });

  router.get('/editor/cron', (request, response) => {
    const expression = queryString(request, 'expression');
    if (expression === undefined) throw HttpError.badRequest('missing query parameter expression');
    const timezone = queryString(request, 'timezone');
    const count = Math.min(Number(queryString(request, 'count') ?? 5) || 5, MAX_CRON_TIMES);
    let times: string[];
    try {
      const cron = new Cron(expression, { paused: true, ...(timezone ? { timezone } : {}) });
      times = cron.nextRuns(count).map((time) => time.toISOString());
      cron.stop();
    } catch (error) {
      throw HttpError.badRequest(
        `invalid cron expression "${expression}": ${(error as Error).message}`,
        'Use five or six fields ([second] minute hour day-of-month month day-of-week) and an IANA time zone such as Europe/Prague.',
      );
    }
    response.json({ expression, timezone: timezone ?? null, times });
  });

  return router;
}
