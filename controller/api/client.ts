import type { ProjectStatus } from '../status/status-types.js';
import { liveHolders } from '../watch/lock.js';

/**
 * A running `berth watch` controller that already knows the project's status (DESIGN.md:
 * "`berth status` and `berth get` use a running controller when there is one"); without one,
 * commands observe the engine themselves.
 */
export interface RunningController {
  readonly address: string;
  projectStatus(project: string): Promise<ProjectStatus>;
}

/** How long a status command waits for a controller before observing the engine itself. */
const CLIENT_TIMEOUT_MS = 2_000;

/**
 * The running `berth watch` of a project against `engine` (the address the command was
 * asked to use, as the engine adapter displays it), found through its lock file (pid alive),
 * as a client of its status API. A controller of the project on another engine does not
 * answer for this one (F27). `token` is sent as a bearer token when given (BERTH_TOKEN).
 * Undefined when there is none, or when it does not answer (or refuses) GET /api/v1/status;
 * a refusal (401/403: no or a wrong token) is told to `onRefused` in one line, so the caller
 * can say why it observed the engine itself (F161).
 */
export async function findControllerClient(
  stateDir: string,
  project: string,
  engine: string,
  token?: string,
  onRefused?: (note: string) => void,
): Promise<RunningController | undefined> {
  const holders = await liveHolders(stateDir, project);
  for (const holder of holders.filter((h) => h.engine === engine)) {
    const url = `http://${holder.listen}/api/v1/status`;
    // Asked once here, so a controller that refuses us (401) falls back to the engine.
    const first = await getJson(url, token).then(
      (s) => s as ProjectStatus,
      (e: unknown) => {
        if (e instanceof Refused) onRefused?.(refusedNote(holder.pid, holder.listen, e.status));
        return undefined;
      },
    );
    if (!first) continue;
    let prefetched: ProjectStatus | undefined = first;
    return {
      address: holder.listen,
      projectStatus: async () => {
        const status = prefetched ?? ((await getJson(url, token)) as ProjectStatus);
        prefetched = undefined;
        return status;
      },
    };
  }
  return undefined;
}

/** The status API answered 401 or 403: the token is missing or wrong. */
class Refused extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function refusedNote(pid: number, listen: string, status: number): string {
  return `the running berth watch (pid ${pid}, ${listen}) refused the request (HTTP ${status}: BERTH_TOKEN is unset or wrong); this status is the engine compared to the last applied set, not the controller's view`;
}

async function getJson(url: string, token: string | undefined): Promise<unknown> {
  const response = await fetch(url, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  if (response.status === 401 || response.status === 403) throw new Refused(response.status);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}
