import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from './listen-address.js';

/** The cookie the page carries after `GET /?token=T` (EventSource cannot send headers). */
export const TOKEN_COOKIE = 'berth_token';

/** Constant-time comparison, so a token cannot be guessed byte by byte from response times. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request carries the token: `Authorization: Bearer T`, or the page's cookie. */
export function authorised(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Bearer ') && sameToken(header.slice(7), token)) return true;
  const cookie = cookieValue(req.headers.cookie ?? '', TOKEN_COOKIE);
  return cookie !== undefined && sameToken(cookie, token);
}

/**
 * A listener on loopback answers only requests addressed to a loopback name, so a web page
 * elsewhere cannot reach it through DNS rebinding (a hostile name resolving to 127.0.0.1).
 */
export function hostAllowed(req: IncomingMessage, listenHost: string): boolean {
  if (!isLoopback(listenHost)) return true;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return isLoopback(host);
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
