import { describe, expect, it } from 'vitest';
import type { DesiredObject } from '../../specs/model.js';
import { mergeTakeBack, replicasToTakeBack, type ReplicaOutcome } from './replica-rollback.js';

const replica = (index: number, onFailure = 'rollback') =>
  ({
    kind: 'Container',
    name: `web-${index}`,
    replica: { of: 'web', index },
    spec: { update: { onFailure }, ports: [], mounts: [], networks: [] },
  }) as unknown as DesiredObject;
const replaced = (key: string): ReplicaOutcome => ({
  key: key as ReplicaOutcome['key'],
  outcome: 'converged',
  ops: ['create', 'start', 'gate', 'stop', 'remove', 'rename'],
});
const gateFailed = (key: string): ReplicaOutcome => ({
  key: key as ReplicaOutcome['key'],
  outcome: 'failed',
  ops: ['create', 'start', 'gate', 'remove'],
  message: 'update rolled back: the old container keeps running; unhealthy',
});

describe('replicasToTakeBack', () => {
  it('names the replicas replaced before the one whose gate failed', () => {
    const outcomes = [
      replaced('Container/web-1'),
      replaced('Container/web-2'),
      gateFailed('Container/web-3'),
    ];
    expect(replicasToTakeBack([replica(1), replica(2), replica(3)], outcomes)).toEqual([
      { keys: ['Container/web-1', 'Container/web-2'], failed: 'Container/web-3' },
    ]);
  });

  it('takes nothing back under onFailure: pause, or when no replica failed its gate', () => {
    const outcomes = [replaced('Container/web-1'), gateFailed('Container/web-2')];
    expect(replicasToTakeBack([replica(1, 'pause'), replica(2, 'pause')], outcomes)).toEqual([]);
    expect(
      replicasToTakeBack(
        [replica(1), replica(2)],
        [replaced('Container/web-1'), replaced('Container/web-2')],
      ),
    ).toEqual([]);
  });

  it('a replica not taken back says so', () => {
    const merged = mergeTakeBack(
      [replaced('Container/web-1')],
      [{ key: 'Container/web-1', outcome: 'failed', ops: ['create'], message: 'boom' }],
      new Map([['Container/web-1', 'Container/web-2']]),
    );
    expect(merged[0]).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/not rolled back.*boom/),
    });
  });
});
