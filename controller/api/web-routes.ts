import type { IncomingMessage, ServerResponse } from 'node:http';
import { PAGE_SECURITY_HEADERS, pageAssets, pageHtml } from '../web/assets.js';
import type { StreamHub } from './stream-hub.js';
import { serveStream } from './stream-route.js';
import { TOKEN_COOKIE, sameToken } from './auth.js';

/** What the web routes need from the server. */
export interface WebContext {
  hub: StreamHub;
  project: string;
  /** Per-process token the page sends back with actions. */
  csrf: string;
}

/**
 * GET routes of the web view (issue 16): `/` (the page), `/assets/app.{js,css}` and
 * `/api/v1/stream`. True when the path was one of them (the response is then sent).
 */
export async function handleWebRoute(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  web: WebContext,
): Promise<boolean> {
  if (path === '/') {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      ...PAGE_SECURITY_HEADERS,
    });
    res.end(pageHtml(web.csrf, web.project));
    return true;
  }
  if (path === '/assets/app.js' || path === '/assets/app.css') {
    const assets = await pageAssets();
    const js = path.endsWith('.js');
    res.writeHead(200, {
      'Content-Type': js ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      'Cache-Control': 'no-cache',
      ...PAGE_SECURITY_HEADERS,
    });
    res.end(js ? assets.js : assets.css);
    return true;
  }
  if (path === '/api/v1/stream') {
    serveStream(req, res, web.hub);
    return true;
  }
  return false;
}

/**
 * `GET /?token=T` off loopback: the page cannot send an Authorization header from
 * EventSource, so a right token is turned into an HttpOnly, SameSite=Strict cookie and the
 * browser is sent to `/` (the token leaves the address bar). False when there is no such query.
 */
export function acceptTokenQuery(
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
): boolean {
  const url = new URL(req.url ?? '/', 'http://berth');
  const given = url.searchParams.get('token');
  if (url.pathname !== '/' || given === null || !sameToken(given, token)) return false;
  res.writeHead(303, {
    Location: '/',
    'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
  });
  res.end();
  return true;
}
