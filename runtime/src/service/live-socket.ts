import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { identify } from './auth.js';
import type { ServiceContext } from './context.js';
import { API_PREFIX } from './http-app.js';
import type { LiveHub } from './live-hub.js';

/** Path of the live status WebSocket. */
export const LIVE_PATH = `${API_PREFIX}/live`;

/**
 * Accepts WebSocket upgrades on LIVE_PATH from signed-in callers. A browser sends its session
 * cookie with any site's upgrade request, so a cookie-authenticated upgrade must come from a page
 * of this service (Origin matching Host).
 */
export function attachLiveSocket(server: Server, context: ServiceContext, hub: LiveHub) {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
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
        context.logger.debug('live client connected', { user: caller.userName, clients: hub.size });
        ws.on('close', () => hub.remove(client));
        ws.on('error', () => hub.remove(client));
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
