import { describe, expect, it } from 'vitest';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from './converge.js';

/**
 * Only a container waits for its dependsOn: a Network (or Image) named like a container once
 * waited for that container's dependencies, before they existed, and failed with "was removed
 * while berth waited" (the examples' Image/web beside the shop's Container/web, session 4).
 */
describe('dependsOn waits', () => {
  it('do not hold an object of another kind that shares the container name', async () => {
    const engine = new MemoryEngine();
    engine.addImage('local/app:1', 'abc123');
    engine.setLatency(20);
    const desired = await desiredFrom(`apiVersion: berth/v1
kind: Network
metadata: {name: web}
---
apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec: {image: local/app:1}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: local/app:1
  networks: [{network: web}]
  dependsOn: [{container: db, condition: started}]
`);
    const { result } = await converge(engine, {
      project: 'p',
      desired,
      prune: false,
      parallel: 8,
      deadline: Date.now() + 20_000,
      now: Date.now,
    });
    expect(result.outcomes.filter((o) => o.outcome !== 'converged')).toEqual([]);
  });
});
