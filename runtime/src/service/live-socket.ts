import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { identify } from './auth.js';
import type { ServiceContext } from './context.js';
import { API_PREFIX } from './http-app.js';
import type { LiveHub } from './live-hub.js';

/** How often open live sockets have their session or token checked again. */
const RECHECK_INTERVAL_MS = 30_000;

/** Path of the live status WebSocket. */
export const LIVE_PATH = `${API_PREFIX}/live`;

/**
 * Accepts WebSocket upgrades on LIVE_PATH from signed-in callers. A browser sends its session
 * cookie with any site's upgrade request, so a cookie-authenticated upgrade must come from a page
 * of this service (Origin matching Host).
 */
export function attachLiveSocket(server: Server, context: ServiceContext, hub: LiveHub) {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  // The upgrade request of each open socket, whose cookie or token is checked again after a
  // logout or token deletion and every RECHECK_INTERVAL_MS, so that an ended session stops
  // receiving events.
  const upgrades = new Map<WebSocket, IncomingMessage>();
  const recheck = async () => {
    for (const [ws, request] of upgrades) {
      if ((await identify(context, request)) !== undefined) continue;
      upgrades.delete(ws);
      context.logger.info('live client closed: its session or token ended');
      ws.close(4401, 'session ended');
    }
  };
  context.recheckLiveClients = recheck;
  const timer = setInterval(() => {
    void recheck().catch((error: unknown) =>
      context.logger.error('live client check failed', { error: (error as Error).message }),
    );
  }, RECHECK_INTERVAL_MS);
  timer.unref();
  sockets.on('close', () => clearInterval(timer));
  server.on('upgrade', (request, socket, head) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const caller = path === LIVE_PATH ? await identify(context, request) : undefined;
      const origin = request.headers.origin;
      const crossSite =
        caller?.via === 'session' &&
        origin !== undefined &&
        hostOf(origin) !== request.headers.host;
      if (caller === undefined || crossSite) {
        let status = '401 Unauthorized';
        if (path !== LIVE_PATH) status = '404 Not Found';
        else if (crossSite) status = '403 Forbidden';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      sockets.handleUpgrade(request, socket, head, (ws) => {
        const client = hub.add(ws);
        upgrades.set(ws, request);
        context.logger.debug('live client connected', { user: caller.userName, clients: hub.size });
        const remove = () => {
          upgrades.delete(ws);
          hub.remove(client);
        };
        ws.on('close', remove);
        ws.on('error', remove);
      });
    })().catch((error: unknown) => {
      context.logger.error('WebSocket upgrade failed', { error: (error as Error).message });
      socket.destroy();
    });
  });
  return sockets;
}

/** Returns the host and port of an Origin header, or undefined when it is not a URL. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
