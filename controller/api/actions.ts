import type { IncomingMessage, ServerResponse } from 'node:http';
import { toBerthError } from '../errors.js';
import type { ViewAction } from '../web/view-types.js';
import { sameToken } from './auth.js';

/** One action the page can call: `POST /api/v1/actions/ID` with `{"target": "Kind/name"}`. */
export interface ActionHandler {
  action: ViewAction;
  /** Runs the action; `target` is set for object actions. Resolves with a one-line result. */
  run(target: string | undefined): Promise<string>;
}

/** The actions a controller offers, by id; later ones (rollback, hold) are just more entries. */
export type ActionTable = ReadonlyMap<string, ActionHandler>;

/** The header the page sends with every action; a form or a plain cross-site fetch cannot. */
export const CSRF_HEADER = 'x-berth-csrf';

/** The header a local `berth rollback|hold|release` sends: the key from the watch lock file. */
export const CONTROL_HEADER = 'x-berth-control';

/**
 * What a local CLI may ask the controller to do (`POST /api/v1/control/ID`): the update
 * actions, always on (a caller that can read the project's lock file could write its records
 * itself), authorised by the controller's key instead of the page's CSRF token.
 */
export interface ControlTable {
  /** The key recorded in the watch lock file. */
  key: string;
  actions: ActionTable;
}

/** Action bodies are one target name; anything larger is refused. */
const MAX_BODY = 4_096;

/**
 * `POST /api/v1/actions/ID`. Guards against cross-site requests: the body must be JSON (a form
 * cannot send that type), the `X-Berth-CSRF` header must carry the token served inside the
 * page (only a same-origin script can read it; the custom header also forces a CORS
 * preflight that berth never answers), and an `Origin`, when sent, must be this host.
 */
export async function handleAction(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  table: ActionTable,
  csrfToken: string,
): Promise<void> {
  const refusal = crossSiteRefusal(req, csrfToken);
  if (refusal) return send(res, 403, { error: refusal });
  const handler = table.get(id);
  if (!handler) return send(res, 404, { error: `no action ${id} (enable with --ui-actions)` });
  return runHandler(req, res, id, handler);
}

/**
 * `POST /api/v1/control/ID` from the CLI on this machine: needs `X-Berth-Control` with the
 * controller's key (403 otherwise), then runs the action as the page's would. Answers 200
 * `{ok, message}`, 404 for an unknown action, 409 `{error, code}` when the action failed.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  control: ControlTable,
): Promise<void> {
  const given = req.headers[CONTROL_HEADER];
  if (typeof given !== 'string' || !sameToken(given, control.key))
    return send(res, 403, { error: 'missing or wrong X-Berth-Control header' });
  const handler = control.actions.get(id);
  if (!handler) return send(res, 404, { error: `no control action ${id}` });
  return runHandler(req, res, id, handler);
}

async function runHandler(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  handler: ActionHandler,
): Promise<void> {
  let target: string | undefined;
  try {
    target = parseTarget(await readBody(req));
  } catch (e) {
    return send(res, 400, { error: (e as Error).message });
  }
  if (handler.action.scope === 'object' && !target)
    return send(res, 400, { error: `action ${id} needs {"target": "Kind/name"}` });
  try {
    send(res, 200, { ok: true, message: await handler.run(target) });
  } catch (e) {
    const error = toBerthError(e);
    send(res, 409, { error: error.message, code: error.code });
  }
}

function crossSiteRefusal(req: IncomingMessage, csrfToken: string): string | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type !== 'application/json') return 'actions take application/json only';
  const origin = req.headers.origin;
  if (origin && origin !== `http://${req.headers.host}`) return `cross-site request from ${origin}`;
  const given = req.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameToken(given, csrfToken))
    return 'missing or wrong X-Berth-CSRF header';
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > MAX_BODY) throw new Error('request body too large');
  }
  return body;
}

function parseTarget(body: string): string | undefined {
  if (!body.trim()) return undefined;
  const value = JSON.parse(body) as { target?: unknown };
  if (value.target === undefined) return undefined;
  if (typeof value.target !== 'string' || !/^[A-Za-z]+\/[^/]+$/.test(value.target))
    throw new Error('target must be "Kind/name"');
  return value.target;
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value) + '\n');
}
