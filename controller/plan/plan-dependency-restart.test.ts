import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeAndPlan } from '../observe.js';
import { selectPlan } from '../executor/select-plan.js';
import { formatPlan } from './plan-format.js';

const IMAGE = 'localhost/berth-busybox:1';
const manifest = (mode: string) => `
apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec: {image: ${IMAGE}, env: {MODE: ${mode}}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${IMAGE}
  dependsOn: [{container: db, restart: true}]
---
apiVersion: berth/v1
kind: Container
metadata: {name: other}
spec:
  image: ${IMAGE}
  dependsOn: [{container: db}]
`;

describe('dependsOn restart: true (Compose depends_on.restart)', () => {
  let engine: MemoryEngine;
  const planned = async (yaml: string) =>
    (
      await observeAndPlan(engine, {
        project: 'demo',
        desired: await desiredFrom(yaml),
        prune: false,
      })
    ).plan;
  const apply = async (yaml: string) =>
    converge(engine, {
      project: 'demo',
      desired: await desiredFrom(yaml),
      prune: true,
      parallel: 4,
      deadline: Date.now() + 10_000,
    });
  const containerOf = async (name: string) =>
    (await engine.observe({ project: 'demo' })).containers.find((c) => c.name === `demo-${name}`);

  beforeEach(() => {
    engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage(IMAGE);
  });

  it('restarts the dependant (same container) after the dependency is replaced; not the others', async () => {
    expect((await apply(manifest('a'))).result.ok).toBe(true);
    const before = await containerOf('app');
    expect(formatPlan(await planned(manifest('b')))).toBe(
      [
        '~ Container/db   create        spec changed: env (start-first: no host port, address or writable volume is held)',
        '~ Container/db   start         update, start-first',
        '~ Container/db   gate          health gate: running 3s without exiting (minReady)',
        '~ Container/db   stop          update, start-first',
        '~ Container/db   remove        update, start-first',
        '~ Container/db   rename        update, start-first',
        '~ Container/app  stop          db replaced (dependsOn restart: true): restart after it',
        '~ Container/app  start         declared running',
        'Project demo: 0 to create, 2 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    engine.resetCalls();
    expect((await apply(manifest('b'))).result.ok).toBe(true);
    // db's old container and app are stopped; db's new one and app started; other untouched.
    expect([engine.calls.stopContainer, engine.calls.startContainer]).toEqual([2, 2]);
    const after = await containerOf('app');
    expect(after?.id).toBe(before?.id);
    expect(after?.state).toBe('running');
    expect(formatPlan(await planned(manifest('b')))).toBe(
      'Project demo: no changes; the engine matches the manifests.\n',
    );
  });

  it('goes with the dependency when the watch reconciles only the dependency’s key', async () => {
    expect((await apply(manifest('a'))).result.ok).toBe(true);
    const chosen = selectPlan(await planned(manifest('b')), ['Container/db']);
    const working = chosen.objects.filter((p) => p.steps.length).map((p) => p.key);
    expect(working).toEqual(['Container/db', 'Container/app']);
  });
});
