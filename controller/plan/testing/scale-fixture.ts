import { expect } from 'vitest';
import { desiredFrom } from '../../../test/support/manifests.js';
import { converge } from '../../executor/converge.js';
import { MemoryEngine } from '../../engine/memory/memory-engine.js';
import { observeAndPlan } from '../../observe.js';
import { formatPlan } from '../plan-format.js';

/** The test image, present in every fixture engine. */
export const IMAGE = 'localhost/berth-busybox:1';

/** Container `api` at `replicas` and a `gateway` that depends on it (started). */
export function apiAndGateway(replicas: number, image = IMAGE): string {
  return `
apiVersion: berth/v1
kind: Container
metadata: {name: api}
spec:
  image: ${image}
  replicas: ${replicas}
---
apiVersion: berth/v1
kind: Container
metadata: {name: gateway}
spec:
  image: ${IMAGE}
  dependsOn: [{container: api}]
`;
}

/**
 * Project `p` on a fresh in-memory engine that has `images`: observe → plan (printed), and
 * apply (observe → plan → execute, expected to converge), as `berth plan` / `apply` do.
 */
export function scaleProject(images: string[] = [IMAGE]) {
  const engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
  for (const image of images) engine.addImage(image);
  const observePlan = async (yaml: string) =>
    observeAndPlan(engine, { project: 'p', desired: await desiredFrom(yaml), prune: false });
  return {
    engine,
    observePlan,
    planText: async (yaml: string) => formatPlan((await observePlan(yaml)).plan),
    apply: async (yaml: string) => {
      const out = await converge(engine, {
        project: 'p',
        desired: await desiredFrom(yaml),
        prune: false,
        parallel: 4,
        deadline: Date.now() + 10_000,
      });
      expect(out.result.ok).toBe(true);
      return out;
    },
    /** Engine names of the project's containers, sorted. */
    names: async () =>
      (await engine.observe({ project: 'p' })).containers.map((c) => c.name).sort(),
  };
}
