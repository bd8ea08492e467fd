import type { MutationResult, VolumeCreateRequest } from '../engine.js';
import { call, mutate, type DockerCalls } from './docker-calls.js';

export async function createVolume(
  d: DockerCalls,
  request: VolumeCreateRequest,
): Promise<{ name: string }> {
  const volume = await call(d, 'create volume', request.name, async () =>
    (await d.full()).createVolume({
      Name: request.name,
      Driver: request.driver,
      DriverOpts: request.options,
      Labels: request.labels,
    }),
  );
  return { name: (volume as unknown as { name?: string; Name?: string }).name ?? request.name };
}

export function removeVolume(d: DockerCalls, name: string): Promise<MutationResult> {
  return mutate(d, 'remove volume', name, async () => (await d.full()).getVolume(name).remove(), {
    goneIsDone: true,
  });
}
