import { describe, expect, it } from 'vitest';
import type { ContainerDetails, ObservedContainer } from '../engine.js';
import { changeOf } from './docker-events.js';
import { fromInspect, type DockerContainerInspect } from './docker-mapping.js';
import { withPodmanRestarts } from './docker-podman-restarts.js';

/** Podman's inspect of a container between two runs (F166: seen on 4.3.1, `State.Status`). */
function inspectAnswer(
  status: string,
  restartCount: number,
  policy: string,
  exitCode = 3,
): DockerContainerInspect {
  return {
    Id: 'c1',
    Name: '/p-loop',
    Created: '2026-12-01T04:00:00Z',
    Image: 'sha256:i',
    RestartCount: restartCount,
    HostConfig: { RestartPolicy: { Name: policy } },
    State: { Status: status, ExitCode: exitCode },
  };
}

describe("Podman's `stopped` between two runs (F166)", () => {
  it('is restarting once the engine has restarted the container under a policy that restarts it', () => {
    expect(fromInspect(inspectAnswer('stopped', 8, 'unless-stopped')).state).toBe('restarting');
    expect(fromInspect(inspectAnswer('stopped', 1, 'always')).state).toBe('restarting');
    expect(fromInspect(inspectAnswer('stopped', 2, 'on-failure')).state).toBe('restarting');
  });

  it('is exited after a start berth made (count reset), a clean exit under on-failure, or Docker', () => {
    expect(fromInspect(inspectAnswer('stopped', 0, 'unless-stopped')).state).toBe('exited');
    expect(fromInspect(inspectAnswer('stopped', 2, 'on-failure', 0)).state).toBe('exited');
    expect(fromInspect(inspectAnswer('stopped', 2, 'no')).state).toBe('exited');
    expect(fromInspect(inspectAnswer('exited', 2, 'unless-stopped')).state).toBe('exited');
    expect(fromInspect(inspectAnswer('restarting', 2, 'unless-stopped')).state).toBe('restarting');
  });

  it('observe reads only the containers the list says `stopped` through inspect', async () => {
    const entry = (id: string): ObservedContainer => ({
      id,
      name: `p-${id}`,
      labels: {},
      state: 'exited',
      imageId: '',
      imageRef: '',
      createdAt: 0,
      health: 'none',
      networks: [],
      ports: [],
    });
    const inspected: string[] = [];
    const inspect = (id: string) => {
      inspected.push(id);
      const state = id === 'loop' ? 'restarting' : 'exited';
      return Promise.resolve({ ...entry(id), state, exitCode: 3 } as ContainerDetails);
    };
    const listed = [
      { Id: 'loop', State: 'stopped' },
      { Id: 'killed', State: 'stopped' },
      { Id: 'done', State: 'exited' },
    ];
    const seen = await withPodmanRestarts(['loop', 'killed', 'done'].map(entry), listed, inspect);
    expect(seen.map((c) => [c.id, c.state])).toEqual([
      ['loop', 'restarting'],
      ['killed', 'exited'],
      ['done', 'exited'],
    ]);
    expect(seen[0]?.exitCode).toBe(3);
    expect(inspected.sort()).toEqual(['killed', 'loop']);
  });

  it("takes Podman's `cleanup` (the exit settled, no restart follows) as an exit", () => {
    expect(changeOf('container', 'cleanup')).toBe('exited');
  });
});
