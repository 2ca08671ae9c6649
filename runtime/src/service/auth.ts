import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { SESSION_LIFETIME_MS, sha256 } from '../storage/account-store.js';
import type { ServiceContext } from './context.js';
import { HttpError } from './http-error.js';
import { jsonBodies, parseBody } from './request.js';

export const SESSION_COOKIE = 'kuryr_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Caller of a request: a user through a session cookie or an API token. */
export type Caller = { userName: string; via: 'session' | 'token'; csrfToken?: string };

const loginSchema = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });
const setupSchema = z.strictObject({
  token: z.string().min(1),
  username: z.string().min(1).default('admin'),
  password: z.string().min(12, 'must be at least 12 characters'),
});

/** Finds the caller of a request or WebSocket upgrade; undefined when it is not signed in. */
export async function identify(
  context: ServiceContext,
  request: IncomingMessage,
): Promise<Caller | undefined> {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    const userName = await context.accounts.findTokenUser(authorization.slice(7).trim());
    return userName === undefined ? undefined : { userName, via: 'token' };
  }
  const sessionId = parseCookies(request.headers.cookie ?? '')[SESSION_COOKIE];
  if (sessionId === undefined) return undefined;
  const session = await context.accounts.findSession(sessionId);
  if (session === undefined) return undefined;
  return { userName: session.userName, via: 'session', csrfToken: session.csrfToken };
}

/**
 * Requires a signed-in caller on every route after it. A session must also send its CSRF token
 * in the X-CSRF-Token header with each state-changing request. An API token needs none, because
 * a browser never attaches it on its own.
 */
export function requireLogin(context: ServiceContext) {
  return async (request: Request, response: Response, next: NextFunction) => {
    const caller = await identify(context, request);
    if (caller === undefined) {
      throw new HttpError(401, 'UNAUTHENTICATED', 'sign in or send an API token', {
        hint: 'POST /api/v1/login, or send "Authorization: Bearer TOKEN".',
      });
    }
    const safe = request.method === 'GET' || request.method === 'HEAD';
    if (!safe && caller.via === 'session' && !isSameToken(request.get(CSRF_HEADER), caller)) {
      throw new HttpError(403, 'CSRF_TOKEN_INVALID', 'missing or wrong X-CSRF-Token header', {
        hint: 'Send the csrfToken from POST /api/v1/login or GET /api/v1/session.',
      });
    }
    response.locals.caller = caller;
    next();
  };
}

function isSameToken(given: string | undefined, caller: Caller): boolean {
  if (given === undefined || caller.csrfToken === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(caller.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Login, logout, first-start setup and the session's details. */
export function authRoutes(context: ServiceContext): Router {
  const router = Router();
  // Login and setup are open to anyone; their bodies are a name, a password and a token.
  const smallBody = jsonBodies('16kb');
  const limiter = rateLimit({
    windowMs: context.loginWindowMs,
    limit: context.loginLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (request, response) => {
      context.logger.warn('login attempts rate-limited', { address: request.ip });
      response.status(429).json({
        error: { code: 'TOO_MANY_ATTEMPTS', message: 'too many login attempts; try again later' },
      });
    },
  });

  router.post('/login', limiter, smallBody, async (request, response) => {
    const { username, password } = parseBody(loginSchema, request);
    if (!(await context.accounts.checkPassword(username, password))) {
      context.logger.warn('login failed', { user: username, address: request.ip });
      throw new HttpError(401, 'LOGIN_FAILED', 'wrong user name or password');
    }
    const { id, session } = await context.accounts.openSession(username);
    context.logger.info('login', { user: username });
    setSessionCookie(response, id, request.secure);
    response.json({ user: username, csrfToken: session.csrfToken });
  });

  router.post('/setup', limiter, smallBody, async (request, response) => {
    const { token, username, password } = parseBody(setupSchema, request);
    const expected = context.setupTokenHash;
    if (expected === undefined) {
      throw new HttpError(409, 'SETUP_DONE', 'the administrator account already exists');
    }
    if (sha256(token) !== expected) {
      throw new HttpError(401, 'SETUP_TOKEN_WRONG', 'wrong setup token', {
        hint: 'Use the setup link from the log of the current start.',
      });
    }
    // The token is spent before the first await, so only one of several concurrent requests
    // with it creates an account. It is restored when that request creates none.
    context.setupTokenHash = undefined;
    try {
      if (await context.accounts.hasUsers()) {
        throw new HttpError(409, 'SETUP_DONE', 'the administrator account already exists');
      }
      await context.accounts.createUser(username, password);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 409)) context.setupTokenHash = expected;
      throw error;
    }
    context.logger.info('administrator account created', { user: username });
    const { id, session } = await context.accounts.openSession(username);
    setSessionCookie(response, id, request.secure);
    response.status(201).json({ user: username, csrfToken: session.csrfToken });
  });

  router.post('/logout', requireLogin(context), async (request, response) => {
    const sessionId = parseCookies(request.headers.cookie ?? '')[SESSION_COOKIE];
    if (sessionId !== undefined) await context.accounts.closeSession(sessionId);
    await context.recheckLiveClients?.();
    response.setHeader('Set-Cookie', sessionCookie('', request.secure, 0));
    response.status(204).end();
  });

  router.get('/session', requireLogin(context), (_request, response) => {
    const caller = response.locals.caller as Caller;
    response.json({ user: caller.userName, via: caller.via, csrfToken: caller.csrfToken });
  });
  return router;
}

/** Sets the session cookie to expire with the session on the server. */
function setSessionCookie(response: Response, id: string, secure: boolean): void {
  response.setHeader('Set-Cookie', sessionCookie(id, secure, SESSION_LIFETIME_MS / 1000));
}

/** Builds the session cookie; `maxAgeSeconds` 0 deletes it. */
function sessionCookie(value: string, secure: boolean, maxAgeSeconds: number): string {
  return serializeCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure,
    maxAge: maxAgeSeconds,
  });
}
