import { BerthError, type BerthErrorCode } from '../errors.js';
import { liveHolders, type LockHolder } from '../watch/lock.js';
import { CONTROL_HEADER } from './actions.js';
import { formatAuthority, parseListenAddress } from './listen-address.js';

/** The actions a local CLI hands to a running `berth watch` (restart: F154). */
export type ControlAction = 'rollback' | 'hold' | 'release' | 'restart';

/** A running `berth watch` that owns the project, as its lock file names it. */
export interface OwningController {
  pid: number;
  /** `host:port` the CLI reaches its API at. */
  address: string;
  /**
   * Asks it to run `action` (target `Apply/<id>` for a rollback, `Container/<name>` for a
   * restart) through the same code as the web view's buttons; resolves with its one-line
   * answer. Rejects with E_LOCKED when it cannot be reached, or with the controller's own
   * error code when the action failed.
   */
  ask(action: ControlAction, target: string | undefined, timeoutMs: number): Promise<string>;
}

/**
 * The live `berth watch` of the project (DESIGN.md "Updates and rollback": in watch, a rollback
 * or hold holds the project), or undefined when none runs. Its lock file (0600) holds the API
 * address and the key that authorises the request; the key is sent, never printed.
 */
export async function owningController(
  stateDir: string,
  project: string,
): Promise<OwningController | undefined> {
  const [holder] = await liveHolders(stateDir, project);
  if (!holder) return undefined;
  const address = reachableAddress(holder.listen);
  return {
    pid: holder.pid,
    address,
    ask: (action, target, timeoutMs) => post(holder, address, project, action, target, timeoutMs),
  };
}

/** A wildcard listen address is reached on loopback. */
function reachableAddress(listen: string): string {
  const { host, port } = parseListenAddress(listen);
  if (host === '0.0.0.0' || host === '') return `127.0.0.1:${port}`;
  if (host === '::') return formatAuthority({ host: '::1', port });
  return formatAuthority({ host, port });
}

async function post(
  holder: LockHolder,
  address: string,
  project: string,
  action: ControlAction,
  target: string | undefined,
  timeoutMs: number,
): Promise<string> {
  const who = `project ${project} is owned by berth watch pid ${holder.pid}`;
  const what = 'stop that watch and run the command again, or use its web view (--ui-actions)';
  if (!holder.control)
    throw new BerthError('E_LOCKED', `${who}, which takes no local requests`, {
      hint: `it was started by an older berth; ${what}`,
    });
  let response: Response;
  try {
    response = await fetch(`http://${address}/api/v1/control/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [CONTROL_HEADER]: holder.control },
      body: JSON.stringify(target ? { target } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const cause = (e as Error).name === 'TimeoutError' ? 'timed out' : (e as Error).message;
    throw new BerthError('E_LOCKED', `${who}, which does not answer at ${address} (${cause})`, {
      hint: what,
    });
  }
  const body = (await response.json().catch(() => ({}))) as {
    message?: string;
    error?: string;
    code?: BerthErrorCode;
  };
  if (response.ok && body.message !== undefined) return body.message;
  if (response.status === 409 && body.code)
    throw new BerthError(body.code, body.error ?? `the controller could not ${action}`);
  throw new BerthError(
    'E_LOCKED',
    `${who}, which refused the ${action} (HTTP ${response.status}: ${body.error ?? 'no answer'})`,
    { hint: what },
  );
}
