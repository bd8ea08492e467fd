import { describe, expect, it } from 'vitest';
import { containerOpSequence, type ObservedContainerState } from './container-decision.js';
import type { DesiredContainerState } from '../../specs/model.js';

// DESIGN.md's lifecycle table, cell by cell ("recreate" = stop when live, remove, create).
const TABLE: Record<string, Record<DesiredContainerState, string>> = {
  absent: {
    created: 'create',
    running: 'create,start',
    paused: 'create,start,pause',
    exited: 'create,start,stop',
  },
  created: { created: '', running: 'start', paused: 'start,pause', exited: 'start,stop' },
  running: { created: 'stop,remove,create', running: '', paused: 'pause', exited: 'stop' },
  paused: { created: 'stop,remove,create', running: 'unpause', paused: '', exited: 'stop' },
  exited: { created: 'remove,create', running: 'start', paused: 'start,pause', exited: '' },
  dead: {
    created: 'remove,create',
    running: 'remove,create,start',
    paused: 'remove,create,start,pause',
    exited: 'remove,create,start,stop',
  },
};

describe('lifecycle table', () => {
  for (const [observed, row] of Object.entries(TABLE)) {
    for (const [desired, expected] of Object.entries(row)) {
      it(`${observed} → ${desired}: ${expected || '—'}`, () => {
        const { ops, end } = containerOpSequence({
          observed: observed as ObservedContainerState,
          desired: desired as DesiredContainerState,
          replace: false,
          restartPolicy: 'Always',
        });
        expect(ops.join(',')).toBe(expected);
        expect(end.kind).toBe('done');
      });
    }
  }

  it('waits out restarting and removing', () => {
    for (const observed of ['restarting', 'removing'] as const) {
      const { ops, end } = containerOpSequence({
        observed,
        desired: 'running',
        replace: false,
        restartPolicy: 'Always',
      });
      expect(ops).toEqual([]);
      expect(end.kind).toBe('wait');
    }
  });

  it('a crash-looping container to be replaced is stopped, not waited out (F80)', () => {
    const { ops, end } = containerOpSequence({
      observed: 'restarting',
      desired: 'running',
      replace: true,
      restartPolicy: 'Always',
    });
    expect(ops.join(',')).toBe('stop,remove,create,start');
    expect(end.kind).toBe('done');
  });

  it('a spec change recreates from every live state, then drives to the declared state', () => {
    const cases: [ObservedContainerState, DesiredContainerState, string][] = [
      ['running', 'running', 'stop,remove,create,start'],
      ['paused', 'paused', 'stop,remove,create,start,pause'],
      ['exited', 'exited', 'remove,create,start,stop'],
      ['created', 'running', 'remove,create,start'],
    ];
    for (const [observed, desired, expected] of cases) {
      const { ops } = containerOpSequence({
        observed,
        desired,
        replace: true,
        restartPolicy: 'Always',
      });
      expect(ops.join(','), `${observed} → ${desired}`).toBe(expected);
    }
  });

  it('a change of state alone never recreates (except towards created)', () => {
    for (const observed of ['running', 'paused', 'exited'] as const) {
      for (const desired of ['running', 'paused', 'exited'] as const) {
        const { ops } = containerOpSequence({
          observed,
          desired,
          replace: false,
          restartPolicy: 'Always',
        });
        expect(ops).not.toContain('remove');
      }
    }
  });

  it('restartPolicy decides whether an exited container declared running comes back', () => {
    const exited = (restartPolicy: 'Always' | 'OnFailure' | 'Never', exitCode: number) =>
      containerOpSequence({
        observed: 'exited',
        desired: 'running',
        replace: false,
        restartPolicy,
        exitCode,
      });
    expect(exited('Always', 0).ops).toEqual(['start']);
    expect(exited('OnFailure', 1).ops).toEqual(['start']);
    // Exit code 0 under OnFailure or Never: it ran to completion, which is its declared end.
    for (const policy of ['OnFailure', 'Never'] as const)
      expect(exited(policy, 0)).toMatchObject({
        ops: [],
        end: { kind: 'done', completed: expect.stringContaining('completed (exit code 0)') },
      });
    expect(exited('Never', 137)).toMatchObject({
      ops: [],
      end: { kind: 'hold', reason: expect.stringContaining('Never') },
    });
  });

  it('OnFailure with its restartMaxRetries reached keeps a failed container exited (F602)', () => {
    const failed = { observed: 'exited', desired: 'running', replace: false } as const;
    expect(
      containerOpSequence({
        ...failed,
        restartPolicy: 'OnFailure',
        exitCode: 1,
        restartLimitReached: 2,
      }),
    ).toEqual({
      ops: [],
      end: {
        kind: 'hold',
        reason: 'exited (exit code 1) after 2 restarts; restartMaxRetries 2 keeps it exited',
      },
    });
    // Below the limit (unset): restarted as before.
    expect(containerOpSequence({ ...failed, restartPolicy: 'OnFailure', exitCode: 1 }).ops).toEqual(
      ['start'],
    );
  });
});
