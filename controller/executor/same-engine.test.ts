import { describe, expect, it } from 'vitest';
import type { ObservedState } from '../engine/engine.js';
import { sameEngineClusters } from './same-engine.js';

const state = (containers: string[], networks: string[] = []): ObservedState =>
  ({
    containers: containers.map((id) => ({ id })),
    networks: networks.map((id) => ({ id })),
    volumes: [{ name: 'shared-name' }],
    images: [{ id: 'sha256:same-content' }],
  }) as unknown as ObservedState;

describe('sameEngineClusters', () => {
  it('joins groups that see one container or network id, transitively, first index first', () => {
    expect(
      sameEngineClusters([
        state(['a']),
        state(['b'], ['n']),
        state(['a'], ['m']),
        state([], ['n']),
      ]),
    ).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(sameEngineClusters([state(['a']), state(['b']), state(['b', 'a'])])).toEqual([
      [0, 1, 2],
    ]);
  });

  it('never joins on image ids or volume names (shared by different engines) or unobserved groups', () => {
    expect(sameEngineClusters([state(['a']), state(['b']), undefined])).toEqual([]);
    expect(sameEngineClusters([state([]), state([])])).toEqual([]);
  });

  it('joins groups with one engine mark before any object exists (a first apply)', () => {
    const marked = (mark: string) => ({ ...state([]), engineMark: mark });
    expect(
      sameEngineClusters([marked('network:x'), marked('network:y'), marked('network:x')]),
    ).toEqual([[0, 2]]);
  });
});
