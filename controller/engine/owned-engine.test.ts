import { describe, expect, it } from 'vitest';
import { ownershipLabels } from '../labels.js';
import { runContainer } from '../lifecycle/run-container.js';
import type { ContainerCreateRequest, Engine } from './engine.js';
import { MemoryEngine } from './memory/memory-engine.js';
import { ownedOnly } from './owned-engine.js';
import { createRequest } from './testing/create-request.js';

/** Issue 19 item 11: the guard below the executor, with an engine answering unexpectedly. */

const IMAGE = 'local/app:1';

function request(name: string, labels: Record<string, string>): ContainerCreateRequest {
  return createRequest({ name, image: IMAGE, labels });
}

async function world() {
  const memory = new MemoryEngine();
  memory.addImage(IMAGE);
  const foreign = (await memory.createContainer(request('p-web', { app: 'theirs' }))).id;
  await memory.startContainer(foreign);
  const ours = (
    await memory.createContainer(request('p-db', ownershipLabels('p', 'Container', 'db', 'h')))
  ).id;
  await memory.startContainer(ours);
  return { memory, guarded: ownedOnly(memory), foreign, ours };
}

const destructiveSteps: [string, (e: Engine, ref: string) => Promise<unknown>][] = [
  ['stop', (e, ref) => e.stopContainer(ref, 1)],
  ['kill', (e, ref) => e.killContainer(ref)],
  ['pause', (e, ref) => e.pauseContainer(ref)],
  ['remove', (e, ref) => e.removeContainer(ref)],
  ['rename', (e, ref) => e.renameContainer(ref, 'elsewhere')],
  ['disconnect', (e, ref) => e.disconnectNetwork('bridge', ref)],
  ['start', (e, ref) => e.startContainer(ref)],
];

describe('the ownership guard', () => {
  it.each(destructiveSteps)('refuses to %s a container without berth labels', async (_, step) => {
    const { memory, guarded, foreign } = await world();
    for (const ref of [foreign, 'p-web']) {
      await expect(step(guarded, ref)).rejects.toMatchObject({ code: 'E_NOT_OWNED' });
    }
    const after = await memory.inspectContainer(foreign);
    expect(after).toMatchObject({ id: foreign, name: 'p-web', state: 'running' });
  });

  it('refuses to remove a network, volume or image without berth labels', async () => {
    const memory = new MemoryEngine();
    const net = await memory.createNetwork({
      name: 'p-net',
      driver: 'bridge',
      internal: false,
      attachable: false,
      options: {},
      labels: { [`berth.project`]: 'p', 'berth.name': 'net' }, // no berth.kind: not ours
    });
    await memory.createVolume({ name: 'p-data', driver: 'local', options: {}, labels: {} });
    memory.addImage('local/theirs:1');
    const guarded = ownedOnly(memory);
    await expect(guarded.removeNetwork(net.id)).rejects.toMatchObject({ code: 'E_NOT_OWNED' });
    await expect(guarded.removeNetwork('p-net')).rejects.toMatchObject({ code: 'E_NOT_OWNED' });
    await expect(guarded.removeVolume('p-data')).rejects.toMatchObject({ code: 'E_NOT_OWNED' });
    await expect(guarded.removeImage('local/theirs:1')).rejects.toMatchObject({
      code: 'E_NOT_OWNED',
    });
    expect(await memory.inspectNetwork('p-net')).toBeDefined();
    expect(await memory.inspectVolume('p-data')).toBeDefined();
    expect(await memory.inspectImage('local/theirs:1')).toBeDefined();
    expect(memory.calls.removeNetwork ?? 0).toBe(0);
  });

  it('acts on owned objects, and a missing one is already stopped or removed', async () => {
    const { memory, guarded, ours } = await world();
    expect(await guarded.pauseContainer(ours)).toEqual({ changed: true });
    expect(await guarded.unpauseContainer('p-db')).toEqual({ changed: true });
    expect(await guarded.removeContainer(ours)).toEqual({ changed: true });
    expect(await guarded.stopContainer(ours, 1)).toEqual({ changed: false });
    expect(await guarded.removeContainer('p-db')).toEqual({ changed: false });
    await expect(guarded.startContainer(ours)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(memory.calls.removeContainer).toBe(1);
  });

  it('an unexpected answer to a destructive step is an error that is not retried', async () => {
    const { memory, guarded, ours } = await world();
    memory.failNext('stopContainer', 'E_ENGINE');
    await expect(guarded.stopContainer(ours, 1)).rejects.toMatchObject({ code: 'E_UNEXPECTED' });
    memory.failNext('startContainer', 'E_ENGINE');
    // start changes nothing that was there: an engine hiccup stays worth another try.
    await expect(guarded.startContainer(ours)).rejects.toMatchObject({ code: 'E_ENGINE' });
  });

  it('a container machine never takes over a foreign container after an unexpected create answer', async () => {
    const { memory, guarded, foreign } = await world();
    // Podman answers 500 where Docker says 409: the name clash looks like a hiccup.
    memory.failNext('createContainer', 'E_ENGINE', 5);
    memory.resetCalls();
    const out = await runContainer(
      {
        engine: guarded,
        request: request('p-web', ownershipLabels('p', 'Container', 'web', 'h')),
        project: 'p',
        name: 'web',
      },
      {
        key: 'Container/web',
        situation: {
          observed: 'absent',
          desired: 'paused',
          replace: false,
          restartPolicy: 'Always',
        },
      },
    );
    expect(out.outcome).toBe('failed');
    expect(String(out.error)).toMatch(/does not own/);
    expect(memory.mutatingCalls()).toBe(memory.calls.createContainer);
    expect(await memory.inspectContainer(foreign)).toMatchObject({
      state: 'running',
      name: 'p-web',
    });
  });
});
