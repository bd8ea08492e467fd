import { describe, expect, it } from 'vitest';
import {
  labelledName,
  ownedContainerName,
  ownedKey,
  ownedReplica,
  replicaLabels,
  sameOwnedContainer,
} from './container-names.js';

/** F86: replicas carry `berth.name=<name>` and `berth.replica=<i>`; earlier labels still read. */

const P = 'p';
const labels = (name: string, replica?: number) => ({
  'berth.project': P,
  'berth.kind': 'Container',
  'berth.name': name,
  ...(replica === undefined ? {} : { 'berth.replica': String(replica) }),
});
/** `engine name | berth.name[/berth.replica]` → `declared name[ (replica of/index)]`. */
const read = (engine: string | undefined, name: string, replica?: number) => {
  const c = { ...(engine === undefined ? {} : { name: engine }), labels: labels(name, replica) };
  const r = ownedReplica(c, P);
  return `${ownedContainerName(c, P)}${r ? ` (${r.of}/${r.index})` : ''}`;
};

describe('the labels berth creates containers with', () => {
  it('replicas: berth.name is the declared name and berth.replica the index, 1 included', () => {
    const replica = (index: number) => ({ name: `web-${index}`, replica: { of: 'web', index } });
    expect([1, 2, 3].map((i) => labelledName(replica(i)))).toEqual(['web', 'web', 'web']);
    expect([1, 2, 3].map((i) => replicaLabels(replica(i)))).toEqual([
      { 'berth.replica': '1' },
      { 'berth.replica': '2' },
      { 'berth.replica': '3' },
    ]);
  });

  it('a single container: its own name and no berth.replica', () => {
    expect(labelledName({ name: 'web' })).toBe('web');
    expect(replicaLabels({})).toEqual({});
  });
});

describe('which declared container an engine container answers to', () => {
  it('reads the labels berth makes now, at every scale', () => {
    expect(read('p-web', 'web')).toBe('web');
    expect(read('p-web-1', 'web', 1)).toBe('web-1 (web/1)');
    expect(read('p-web-2', 'web', 2)).toBe('web-2 (web/2)');
    expect(read('p-web-12', 'web', 12)).toBe('web-12 (web/12)');
    // Scaled 1 → N in place: no berth.replica, the engine name says replica 1.
    expect(read('p-web-1', 'web')).toBe('web-1 (web/1)');
    // Scaled N → 1 in place: berth.replica=1 stays, the engine name says single.
    expect(read('p-web', 'web', 1)).toBe('web');
  });

  it('reads the labels berth made before (F26: replicas 2..N as berth.name=<name>-<i>)', () => {
    expect(read('p-web-2', 'web-2', 2)).toBe('web-2 (web/2)');
    expect(read('p-web-3', 'web-3', 3)).toBe('web-3 (web/3)');
    // Before F26: replica 1 as berth.name=<name>-1, berth.replica=1, and renamed down to 1.
    expect(read('p-web-1', 'web-1', 1)).toBe('web-1 (web/1)');
    expect(read('p-web', 'web-1', 1)).toBe('web');
  });

  it('tells a container declared web-2 from replica 2 of web by its engine name', () => {
    // Replicas of `web-2` now: berth.name=web-2 and their index.
    expect(read('p-web-2-2', 'web-2', 2)).toBe('web-2-2 (web-2/2)');
    expect(read('p-web-2-1', 'web-2', 1)).toBe('web-2-1 (web-2/1)');
    // Replica 2 of `web` before F86 carries the same labels under p-web-2.
    expect(read('p-web-2', 'web-2', 2)).toBe('web-2 (web/2)');
    // A single container declared web-2, and one declared web-1 (no berth.replica).
    expect(read('p-web-2', 'web-2')).toBe('web-2');
    expect(read('p-web-1', 'web-1')).toBe('web-1');
  });

  it('ignores the -next/-prev suffix of an update under way', () => {
    expect(read('p-web-2-next', 'web', 2)).toBe('web-2 (web/2)');
    expect(read('p-web-2-prev', 'web-2', 2)).toBe('web-2 (web/2)');
    expect(read('p-web-1-next', 'web')).toBe('web-1 (web/1)');
  });

  it('renamed outside berth (or no engine name known): by its labels alone', () => {
    expect(read('renamed', 'web', 3)).toBe('web-3 (web/3)');
    expect(read(undefined, 'web', 3)).toBe('web-3 (web/3)');
    expect(read('renamed', 'web-3', 3)).toBe('web-3 (web/3)');
    expect(read('renamed', 'web')).toBe('web');
    expect(read('renamed', 'web', 1)).toBe('web-1 (web/1)');
  });

  it('a berth.replica that is no index is ignored; no berth.name is no container of ours', () => {
    expect(read('p-web', 'web', 0)).toBe('web');
    expect(read('p-web', 'web', Number.NaN)).toBe('web');
    expect(ownedContainerName({ name: 'p-web', labels: { 'berth.project': P } }, P)).toBe(
      undefined,
    );
  });

  it('ownedKey and sameOwnedContainer go by the declared name', () => {
    const now = { name: 'p-web-2', labels: labels('web', 2) };
    const before = { name: 'p-web-2', labels: labels('web-2', 2) };
    const next = { name: 'p-web-2-next', labels: labels('web', 2) };
    expect([now, before, next].map((c) => ownedKey(c, P))).toEqual([
      'Container/web-2',
      'Container/web-2',
      'Container/web-2',
    ]);
    expect(ownedKey(now, 'other')).toBe(undefined);
    expect(sameOwnedContainer(before, next, P)).toBe(true);
    expect(sameOwnedContainer(now, { name: 'p-web-3', labels: labels('web', 3) }, P)).toBe(false);
    expect(
      sameOwnedContainer(now, { ...now, labels: { ...now.labels, 'berth.project': 'q' } }, P),
    ).toBe(false);
  });
});
