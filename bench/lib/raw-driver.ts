import { containerNames, envValueAt, NETWORK, BENCH_IMAGE, type Workload } from './workload.js';
import {
  ENGINE_SOCKET,
  engineCall,
  engineRequest,
  labelFilter,
  mapLimit,
  type ListedContainer,
} from './engine-http.js';
import { sleep } from './proc.js';

/** Label on every object the raw driver creates, valued with the workload's project. */
export const RAW_LABEL = 'bench.raw';

/** The floor of issue 7: creates and starts at this concurrency, nothing else. */
export const RAW_CONCURRENCY = 8;

function containerBody(w: Workload, index: number): unknown {
  return {
    Image: BENCH_IMAGE,
    Cmd: ['sleep', '3600'],
    Env: [`BENCH_MODE=${envValueAt(w, index)}`],
    Labels: { [RAW_LABEL]: w.project },
    HostConfig: {
      Binds: [`${w.siteDir}:/srv:ro`],
      Init: w.init,
      RestartPolicy: { Name: 'unless-stopped' },
      NetworkMode: `${w.project}-${NETWORK}`,
    },
  };
}

/**
 * Cold apply with plain Engine API calls: one network create, then create+start per
 * container, 8 at a time. No observation, no diffing: the least any tool can do.
 * `socketPath`: where to send them; a timed run passes the bench's counting proxy, the path
 * berth's and compose's calls take, so the proxy's hop is in every tool's time alike.
 */
export async function rawApply(w: Workload, socketPath: string = ENGINE_SOCKET): Promise<void> {
  const network = await engineRequest(
    'POST',
    '/networks/create',
    { Name: `${w.project}-${NETWORK}`, CheckDuplicate: true, Labels: { [RAW_LABEL]: w.project } },
    socketPath,
  );
  // 409: a network the engine would not remove (a stale endpoint, moby#42119) is reused.
  if (network.status >= 400 && network.status !== 409)
    throw new Error(`POST /networks/create: ${network.status} ${network.body.trim()}`);
  const indexes = containerNames(w.n).map((_, i) => i);
  await mapLimit(indexes, RAW_CONCURRENCY, async (i) => {
    const name = `${w.project}-${containerNames(w.n)[i]}`;
    const created = JSON.parse(
      await engineCall('POST', `/containers/create?name=${name}`, containerBody(w, i), socketPath),
    ) as { Id: string };
    if (w.state === 'running')
      await engineCall('POST', `/containers/${created.Id}/start`, undefined, socketPath);
  });
}

/**
 * Deletes what rawApply created: one list, then stop and remove per container, 8 at a time,
 * then the network. It stops before removing, as compose and berth do: force-removing
 * running containers concurrently leaves stale network endpoints on this engine
 * (moby#42119), after which the network cannot be removed until the daemon restarts.
 */
export async function rawDelete(
  project: string,
  socketPath: string = ENGINE_SOCKET,
): Promise<void> {
  const filter = labelFilter(`${RAW_LABEL}=${project}`);
  const listed = JSON.parse(
    await engineCall('GET', `/containers/json?all=1&${filter}`, undefined, socketPath),
  ) as ListedContainer[];
  await mapLimit(listed, RAW_CONCURRENCY, async (c) => {
    await engineCall('POST', `/containers/${c.Id}/stop`, undefined, socketPath);
    await engineCall('DELETE', `/containers/${c.Id}?v=1`, undefined, socketPath);
  });
  await removeNetworkWithRetry(`${project}-${NETWORK}`, socketPath);
}

async function disconnectAll(network: string, socketPath: string): Promise<void> {
  const answer = await engineRequest('GET', `/networks/${network}`, undefined, socketPath);
  if (answer.status >= 400) return;
  const info = JSON.parse(answer.body) as { Containers?: Record<string, { Name?: string }> };
  for (const [id, endpoint] of Object.entries(info.Containers ?? {})) {
    await engineRequest(
      'POST',
      `/networks/${network}/disconnect`,
      { Container: endpoint.Name ?? id, Force: true },
      socketPath,
    );
  }
}

/**
 * Removes a network, retrying while the engine still reports active endpoints right after
 * its containers went (moby#42119). A missing network is fine.
 */
export async function removeNetworkWithRetry(
  name: string,
  socketPath: string = ENGINE_SOCKET,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const answer = await engineRequest('DELETE', `/networks/${name}`, undefined, socketPath);
    if (answer.status < 400 || answer.status === 404) return;
    if (attempt >= 20)
      throw new Error(`DELETE /networks/${name}: ${answer.status} ${answer.body.trim()}`);
    // moby#42119: endpoints of removed containers can linger; the bench's own network has
    // nothing else on it, so every endpoint left is disconnected by force.
    if (attempt === 10) await disconnectAll(name, socketPath);
    await sleep(50 * (attempt + 1));
  }
}
