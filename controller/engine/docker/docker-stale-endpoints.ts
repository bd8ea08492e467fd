import type Dockerode from 'dockerode';

/**
 * moby#42119: endpoints of containers that no longer exist can outlive them and block the
 * network's removal ("has active endpoints"). Those — and only those: a live container may
 * not be berth's — are disconnected by force. True when any was.
 */
export async function dropStaleEndpoints(
  docker: Dockerode,
  network: string,
  containerGone: (id: string) => Promise<boolean>,
): Promise<boolean> {
  const info = (await docker
    .getNetwork(network)
    .inspect()
    .catch(() => undefined)) as { Containers?: Record<string, { Name?: string }> } | undefined;
  let dropped = false;
  for (const [id, endpoint] of Object.entries(info?.Containers ?? {})) {
    if (!(await containerGone(id))) continue;
    await docker
      .getNetwork(network)
      .disconnect({ Container: endpoint.Name ?? id, Force: true })
      .then(() => (dropped = true))
      .catch(() => undefined);
  }
  return dropped;
}
