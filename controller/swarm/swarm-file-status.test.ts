import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import type { SwarmObserved } from '../engine/swarm/swarm-types.js';
import {
  swarmFileStatus,
  wantedFilesFromEngine,
  wantedFilesFromSpecs,
} from './swarm-file-status.js';

const set = (value: string) => `
apiVersion: berth/v1
kind: Config
metadata: {name: site}
spec: {content: "${value}"}
---
apiVersion: berth/v1
kind: Config
metadata: {name: motd}
spec: {content: "hello"}
`;

const EMPTY: SwarmObserved = { services: [], tasks: [], networks: [], secrets: [], configs: [] };
const config = (name: string, id = name) => ({
  id,
  name,
  labels: { 'berth.name': name.replace(/^p-|-[0-9a-f]{12}$/g, '') },
});

describe('swarmFileStatus', () => {
  it('is in sync when the declared value is there; names an older value or none', async () => {
    const applied = wantedFilesFromSpecs(await desiredFrom(set('one')), 'p');
    expect(applied.map((w) => w.swarmName)).toEqual([
      expect.stringMatching(/^p-site-[0-9a-f]{12}$/),
      expect.stringMatching(/^p-motd-[0-9a-f]{12}$/),
    ]);
    const observed = { ...EMPTY, configs: [config(applied[0]!.swarmName)] };
    const changed = wantedFilesFromSpecs(await desiredFrom(set('two')), 'p');
    expect(swarmFileStatus(changed, observed)).toEqual([
      {
        key: 'Config/site',
        name: changed[0]!.swarmName,
        inSync: false,
        reason: 'value changed: apply to roll it out',
      },
      { key: 'Config/motd', name: changed[1]!.swarmName, inSync: false, reason: 'not created yet' },
    ]);
    expect(swarmFileStatus(applied.slice(0, 1), observed)).toEqual([
      { key: 'Config/site', name: applied[0]!.swarmName, inSync: true },
    ]);
  });

  it('without manifests: every version found, configs then secrets, by name', () => {
    const observed: SwarmObserved = {
      ...EMPTY,
      secrets: [{ id: 's1', name: 'p-pw-aaaaaaaaaaaa', labels: { 'berth.name': 'pw' } }],
      configs: [config('p-site-bbbbbbbbbbbb'), config('p-motd-cccccccccccc')],
    };
    expect(swarmFileStatus(wantedFilesFromEngine(observed), observed)).toEqual([
      { key: 'Config/motd', name: 'p-motd-cccccccccccc', inSync: true },
      { key: 'Config/site', name: 'p-site-bbbbbbbbbbbb', inSync: true },
      { key: 'Secret/pw', name: 'p-pw-aaaaaaaaaaaa', inSync: true },
    ]);
  });
});
