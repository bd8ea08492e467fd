import { describe, expect, it } from 'vitest';
import type { ObjectOutcome } from '../executor/execute.js';
import { interruptedLines, interruptedObjects } from './interrupted-objects.js';

const outcome = (
  key: ObjectOutcome['key'],
  result: ObjectOutcome['outcome'],
  ops: string[],
  code?: string,
): ObjectOutcome => ({ key, outcome: result, ops, ...(code ? { code } : {}) });

describe('interruptedObjects (F641, F643)', () => {
  it('says per object where the interrupt left it', () => {
    const objects = interruptedObjects(
      [
        'Network/default',
        'Container/a',
        'Container/b',
        'Container/c',
        'Container/d',
        'Container/e',
        'Container/f',
      ],
      [
        outcome('Network/default', 'converged', ['create']),
        outcome('Container/a', 'failed', ['stop', 'remove', 'create'], 'E_INTERRUPTED'),
        outcome('Container/b', 'failed', ['stop'], 'E_INTERRUPTED'),
        outcome('Container/c', 'failed', ['create'], 'E_ENGINE'),
        outcome('Container/f', 'skipped', [], 'E_INTERRUPTED'),
        outcome('Container/in-sync', 'converged', []),
      ],
      { abandoned: [{ key: 'Container/d', ops: ['create', 'start'] }] },
    );
    expect(objects.map((o) => `${o.key} ${o.state}`)).toEqual([
      'Network/default done',
      'Container/a created-not-started',
      'Container/b unfinished',
      'Container/c failed',
      'Container/d abandoned',
      'Container/e skipped',
      'Container/f skipped',
    ]);
    expect(interruptedLines(objects, 'SIGTERM')).toEqual([
      'interrupted: 1 of 7 objects done before SIGTERM',
      '  done: Network/default (create)',
      '  created, not started: Container/a (stop, remove, create)',
      '  begun, not finished: Container/b (stop)',
      '  failed: Container/c (create)',
      '  abandoned under way: Container/d (create, start)',
      '  skipped, its turn had not come: Container/e, Container/f',
    ]);
  });

  it('an object under way at the signal is begun, not failed, whatever error the cut gave', () => {
    const objects = interruptedObjects(
      ['Image/slow', 'Container/c'],
      [outcome('Image/slow', 'failed', [], 'E_IMAGE_BUILD')],
      { cutShort: [{ key: 'Image/slow', ops: ['build'] }] },
    );
    expect(objects).toEqual([
      { key: 'Image/slow', state: 'unfinished', ops: ['build'] },
      { key: 'Container/c', state: 'skipped', ops: [] },
    ]);
  });

  it('says done: none when nothing was', () => {
    expect(interruptedLines(interruptedObjects(['Container/a'], []), undefined)).toEqual([
      'interrupted: 0 of 1 objects done before Ctrl-C',
      '  done: none',
      '  skipped, its turn had not come: Container/a',
    ]);
  });
});
