import { describe, expect, it } from 'vitest';
import type { ObjectKey } from '../../specs/model.js';
import { planPrune } from './plan-prune.js';
import type { PlanInput } from './plan-input.js';

const oneOff = (state: string) => ({
  id: `id-${state}`,
  name: `p-web-run-${state}`,
  state,
  labels: {
    'berth.project': 'p',
    'berth.kind': 'Container',
    'berth.name': `web-run-${state}`,
    'berth.oneoff': 'true',
  },
});

describe('prune and berth run', () => {
  it('leaves a running one-off container alone and prunes an exited one', () => {
    const owned = new Map<ObjectKey, unknown>([
      ['Container/web-run-running' as ObjectKey, oneOff('running')],
      ['Container/web-run-exited' as ObjectKey, oneOff('exited')],
    ]);
    const input = {
      project: 'p',
      desired: [],
      observed: { containers: [], networks: [], volumes: [], images: [] },
      hostPaths: new Map(),
      prune: true,
    };
    const keys = planPrune(input as unknown as PlanInput, owned).map((p) => p.key);
    expect(keys).toEqual(['Container/web-run-exited']);
  });
});
