import { getShortestPaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import type { AnyEventObject, SnapshotFrom } from 'xstate';
import type { DesiredContainerState } from '../../specs/model.js';
import { EngineError } from '../engine/engine.js';
import { containerOpSequence, type ObservedContainerState } from './container-decision.js';
import { containerMachine } from './container.machine.js';

type Snap = SnapshotFrom<typeof containerMachine>;

/** The one state that runs an operation, and its actor. */
const OP_STATES: Record<string, string> = { operating: 'operate' };
const ENGINE_STATES: ObservedContainerState[] = [
  'absent',
  'created',
  'running',
  'paused',
  'exited',
  'dead',
  'restarting',
];

/**
 * The events the outside world can deliver in each state: an invoked operation finishes,
 * fails transiently or fails for good; an inspect reports any engine state; a delay ends.
 */
function eventsFor(snapshot: Snap): AnyEventObject[] {
  const value = snapshot.value as string;
  const op = OP_STATES[value];
  if (op) {
    return [
      {
        type: `xstate.done.actor.${op}`,
        output: { containerId: 'c1' },
      },
      { type: `xstate.error.actor.${op}`, error: new EngineError('E_ENGINE', 'hiccup') },
      { type: `xstate.error.actor.${op}`, error: new EngineError('E_CONFLICT', 'conflict') },
    ];
  }
  if (value === 'refreshing' || value === 'verifying') {
    const id = value === 'refreshing' ? 'inspect' : 'verify';
    return [
      ...ENGINE_STATES.map((observed) => ({
        type: `xstate.done.actor.${id}`,
        output: { observed, containerId: 'c1' },
      })),
      { type: `xstate.error.actor.${id}`, error: new EngineError('E_ENGINE', 'inspect failed') },
    ];
  }
  if (value === 'settling') return [{ type: 'xstate.after.settleDelay.container.settling' }];
  if (value === 'recovering') return [{ type: 'xstate.after.retryDelay.container.recovering' }];
  if (value === 'holdingStart') return [HOLD_ENDS];
  return [];
}

/** The hold of a start (`startSettleMs`, F341) ends. */
const HOLD_ENDS = { type: 'xstate.after.startSettle.container.holdingStart' };

const serialize = (s: Snap) => {
  const c = s.context;
  return JSON.stringify([
    s.value,
    c.situation,
    c.containerId,
    Math.min(c.retries, 3),
    Math.min(c.verifications, 3),
    Math.min(c.settleWaits, 2),
    c.startedRun !== undefined,
  ]);
};

/** Every operation succeeds and the engine then reports the declared state. */
function happyEvents(desired: DesiredContainerState) {
  return (snapshot: Snap): AnyEventObject[] => {
    const value = snapshot.value as string;
    const op = OP_STATES[value];
    if (op)
      return [
        {
          type: `xstate.done.actor.${op}`,
          output: { containerId: 'c1' },
        },
      ];
    if (value === 'verifying')
      return [
        { type: 'xstate.done.actor.verify', output: { observed: desired, containerId: 'c1' } },
      ];
    if (value === 'holdingStart') return [HOLD_ENDS];
    return [];
  };
}

function walk(
  observed: ObservedContainerState,
  desired: DesiredContainerState,
  replace = false,
  restartPolicy: 'Always' | 'Never' = 'Always',
  events: (s: Snap) => AnyEventObject[] = eventsFor,
) {
  return getShortestPaths(containerMachine, {
    input: {
      key: 'Container/web',
      containerId: observed === 'absent' ? undefined : 'c1',
      situation: { observed, desired, replace, restartPolicy },
      maxSettleWaits: 2,
      startSettleMs: 750,
    },
    events,
    serializeState: serialize,
    limit: 20_000,
  });
}

const OBSERVED: ObservedContainerState[] = [
  'absent',
  'created',
  'running',
  'paused',
  'exited',
  'dead',
  'restarting',
  'removing',
];
const DESIRED: DesiredContainerState[] = ['created', 'running', 'paused', 'exited'];

describe('container machine graph', () => {
  it('every state of the machine is reachable, and every operation state both succeeds and fails', () => {
    const reached = new Set<string>();
    const opEdges = new Set<string>();
    // Starting points that between them enter every state: each operation is taken (and
    // fails), restarting is waited out, Never holds, a spec change replaces. The inspects
    // that follow can report any engine state, so the walk fans out from there.
    const starts: [ObservedContainerState, DesiredContainerState, boolean, 'Always' | 'Never'][] = [
      ['absent', 'paused', false, 'Always'],
      ['running', 'exited', true, 'Always'],
      ['paused', 'running', false, 'Always'],
      ['dead', 'running', false, 'Always'],
      ['restarting', 'running', false, 'Always'],
      ['exited', 'running', false, 'Never'],
    ];
    for (const [observed, desired, replace, policy] of starts) {
      for (const path of walk(observed, desired, replace, policy)) {
        let previous: Snap | undefined;
        for (const step of path.steps) {
          const value = step.state.value as string;
          reached.add(value);
          const from = previous?.value as string | undefined;
          if (from && OP_STATES[from])
            opEdges.add(`${from} ${step.event.type.startsWith('xstate.done') ? 'done' : 'error'}`);
          previous = step.state as Snap;
        }
      }
    }
    const declared = Object.keys(containerMachine.root.states).filter(
      (s) => s !== 'deciding' && s !== 'checking',
    );
    expect([...reached].sort()).toEqual(declared.sort());
    for (const state of Object.keys(OP_STATES)) {
      expect(opEdges, state).toContain(`${state} done`);
      expect(opEdges, state).toContain(`${state} error`);
    }
  });

  it('the shortest path to converged from every cell runs exactly the lifecycle table’s operations', () => {
    for (const observed of OBSERVED.filter((o) => o !== 'restarting' && o !== 'removing')) {
      for (const desired of DESIRED) {
        const toConverged = walk(observed, desired, false, 'Always', happyEvents(desired)).filter(
          (p) => p.state.value === 'converged',
        );
        const shortest = toConverged.sort((a, b) => a.steps.length - b.steps.length)[0];
        expect(shortest, `${observed} → ${desired}`).toBeDefined();
        const ops = (shortest?.state as Snap | undefined)?.context.ops ?? [];
        expect(ops.join(','), `${observed} → ${desired}`).toBe(
          containerOpSequence({
            observed,
            desired,
            replace: false,
            restartPolicy: 'Always',
          }).ops.join(','),
        );
      }
    }
  });
});
