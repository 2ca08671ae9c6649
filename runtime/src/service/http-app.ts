import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { FlowAuthorError } from '@kuryr/nodes';
import { reportError } from '../executor/run-report.js';
import { InvalidFlowError } from '../flow/flow-problem.js';
import { authRoutes, requireLogin } from './auth.js';
import type { ServiceContext } from './context.js';
import { HttpError } from './http-error.js';
import { jsonBodies } from './request.js';
import { credentialKindRoutes } from './routes/credential-kinds.js';
import { credentialRoutes } from './routes/credentials.js';
import { editorRoutes } from './routes/editor.js';
import { flowRoutes } from './routes/flows.js';
import { runRoutes } from './routes/runs.js';
import { settingsRoutes } from './routes/settings.js';

/** Version of the API, in every route's path. */
export const API_PREFIX = '/api/v1';

/**
 * Builds the express application: health without login, then login and setup, then every
 * other API route behind requireLogin (JSON bodies are parsed only after it), then the built editor's files when `editorDist` exists.
 */
export function createHttpApp(
  context: ServiceContext,
  editorDist: string | undefined,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((_request, response, next) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get(`${API_PREFIX}/health`, (_request, response) => {
    response.json({ status: 'ok', runningRuns: context.runs.runningCount() });
  });
  app.use(API_PREFIX, authRoutes(context));
  app.use(API_PREFIX, requireLogin(context));
  app.use(API_PREFIX, jsonBodies('10mb'));
  app.use(API_PREFIX, flowRoutes(context));
  app.use(API_PREFIX, runRoutes(context));
  app.use(API_PREFIX, credentialRoutes(context));
  app.use(API_PREFIX, credentialKindRoutes());
  app.use(API_PREFIX, settingsRoutes(context));
  app.use(API_PREFIX, editorRoutes(context));
  app.use(API_PREFIX, (request) => {
    throw new HttpError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
  });

  if (editorDist !== undefined && existsSync(editorDist)) {
    app.use(express.static(editorDist, { index: 'index.html' }));
    // The editor routes in the browser, so unknown paths get its page.
    app.get(/^\/(?!api\/).*/, (_request, response) => {
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(join(editorDist, 'index.html'));
    });
  }
  app.use(errorHandler(context));
  return app;
}

/** Sends every error as JSON; an unknown error gets a plain 500 with a request id for the log. */
function errorHandler(context: ServiceContext) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof HttpError) {
      response.status(error.status).json({
        error: { code: error.code, message: error.message, ...error.extra },
      });
      return;
    }
    if (error instanceof InvalidFlowError) {
      response.status(422).json({
        error: { ...reportError(error), problems: error.problems },
      });
      return;
    }
    if (error instanceof FlowAuthorError) {
      const status = error.code === 'PATH_OUTSIDE_DATA_FOLDER' ? 403 : 400;
      response.status(status).json({ error: reportError(error) });
      return;
    }
    const parseFailure = error as { type?: string; status?: number; limit?: number };
    if (parseFailure.type === 'entity.parse.failed') {
      response.status(400).json({
        error: {
          code: 'BAD_REQUEST',
          message: `the request body is not valid JSON: ${(error as Error).message}`,
        },
      });
      return;
    }
    if (parseFailure.type === 'entity.too.large') {
      response.status(413).json({
        error: {
          code: 'BODY_TOO_LARGE',
          message: `the request body is larger than the limit of ${parseFailure.limit} bytes`,
          params: { limit: parseFailure.limit },
        },
      });
      return;
    }
    const requestId = randomUUID();
    context.logger.error('request failed', {
      requestId,
      method: request.method,
      path: request.path,
      error: error instanceof Error ? error.message : String(error),
    });
    response.status(500).json({
      error: { code: 'INTERNAL', message: 'internal error; the log has details', requestId },
    });
  };
}
