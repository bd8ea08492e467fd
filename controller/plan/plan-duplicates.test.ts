import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import type { ObservedContainer, ObservedNetwork, ObservedState } from '../engine/engine.js';
import { plan } from './plan.js';
import { formatPlan } from './plan-format.js';
import { planPrune } from './plan-prune.js';
import { indexOwned } from './plan.js';

const labels = (name: string, hash: string) => ({
  'berth.project': 'shop',
  'berth.kind': 'Network',
  'berth.name': name,
  'berth.spec-hash': hash,
});

function network(id: string, createdAt: number, hash: string): ObservedNetwork {
  return { id, name: 'shop-net', labels: labels('net', hash), driver: 'bridge', createdAt };
}

function member(ids: string[]): ObservedContainer {
  return {
    id: 'c1',
    name: 'shop-other',
    labels: {},
    state: 'exited',
    imageId: '',
    imageRef: '',
    createdAt: 0,
    health: 'none',
    networks: ['shop-net'],
    networkIds: Object.fromEntries(ids.map((id) => ['shop-net', id])),
    ports: [],
  };
}

const MANIFEST = 'apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n';

async function planWith(networks: ObservedNetwork[], containers: ObservedContainer[] = []) {
  const desired = await desiredFrom(MANIFEST);
  const hash = desired[0]?.specHash ?? '';
  const observed: ObservedState = {
    containers,
    networks: networks.map((n) => ({ ...n, labels: labels('net', hash) })),
    volumes: [],
    images: [],
  };
  return {
    desired,
    observed,
    input: { project: 'shop', desired, observed, hostPaths: new Map(), prune: false },
  };
}

describe('duplicate networks of one name (issue 19 item 7)', () => {
  it('keeps the oldest and removes the extras by id, out of sync until then', async () => {
    const { input } = await planWith([
      network('bbb', 2, ''),
      network('aaa', 1, ''),
      network('ccc', 2, ''),
    ]);
    const p = plan(input);
    const net = p.objects.find((o) => o.key === 'Network/net');
    expect(net?.engineId).toBe('aaa');
    expect(net?.inSync).toBe(false);
    expect(net?.reason).toBe('duplicate network shop-net (bbb), nothing attached');
    expect(formatPlan(p)).toBe(
      [
        '- Network/net  remove bbb    duplicate network shop-net (bbb), nothing attached',
        '- Network/net  remove ccc    duplicate network shop-net (ccc), nothing attached',
        // Network/net stays: its duplicates go (F465 i: not "1 to delete").
        'Project shop: 0 to create, 1 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('never removes an extra that has containers attached, and says so', async () => {
    const { input } = await planWith(
      [network('aaa', 1, ''), network('bbb', 2, '')],
      [member(['bbb'])],
    );
    const net = plan(input).objects.find((o) => o.key === 'Network/net');
    // The one with a container attached is the one kept; the older, empty one goes.
    expect(net?.engineId).toBe('bbb');
    expect(net?.steps.map((s) => `${s.action} ${s.target}`)).toEqual(['remove aaa']);
    const both = await planWith(
      [network('aaa', 1, ''), network('bbb', 2, '')],
      [member(['aaa']), { ...member(['bbb']), id: 'c2' }],
    );
    const blocked = plan(both.input).objects.find((o) => o.key === 'Network/net');
    expect(blocked?.steps).toEqual([]);
    expect(blocked?.inSync).toBe(false);
    expect(blocked?.reason).toMatch(
      /^2 networks named shop-net; the extra bbb has containers attached/,
    );
  });

  it('deleting the network removes every network of its name', async () => {
    const { input } = await planWith([network('aaa', 1, ''), network('bbb', 2, '')]);
    const pruneInput = { ...input, desired: [], prune: true };
    const deletions = planPrune(pruneInput, indexOwned(input.observed, 'shop'));
    expect(
      deletions.flatMap((d) => d.steps.map((s) => `${s.action} ${s.target ?? d.engineId}`)),
    ).toEqual(['remove aaa', 'remove bbb']);
  });
});
