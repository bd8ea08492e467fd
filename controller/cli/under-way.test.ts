import { describe, expect, it } from 'vitest';
import { UnderWay, waitingText } from './under-way.js';

describe('UnderWay', () => {
  it('knows what runs, at which step, and how the others ended', () => {
    const u = new UnderWay();
    u.note({ key: 'Network/default', phase: 'running' });
    u.note({ key: 'Network/default', phase: 'op', op: 'create' });
    u.note({ key: 'Network/default', phase: 'converged' });
    u.note({ key: 'Image/slow', phase: 'running' });
    u.note({ key: 'Image/slow', phase: 'op', op: 'build' });
    u.note({ key: 'Container/c', phase: 'waiting', message: 'Image/slow' });
    expect(u.current).toEqual([{ key: 'Image/slow', op: 'build' }]);
    expect(u.outcomes).toEqual([{ key: 'Network/default', outcome: 'converged', ops: ['create'] }]);
  });

  it('says at once what berth waits for (F194)', () => {
    expect(waitingText([{ key: 'Image/slow', op: 'build' }], 'SIGINT')).toBe(
      'interrupt (Ctrl-C): waiting for the build of Image/slow to stop… press Ctrl-C again to abort\n',
    );
    expect(
      waitingText(
        [
          { key: 'Container/a', op: 'stop' },
          { key: 'Volume/v', op: undefined },
        ],
        'SIGTERM',
      ),
    ).toBe(
      'interrupt (SIGTERM): waiting for Container/a (stop) to finish, Volume/v to finish… send SIGTERM again to abort\n',
    );
    expect(waitingText([], 'SIGHUP')).toBe(
      'interrupt (SIGHUP): finishing… send SIGHUP again to abort\n',
    );
  });
});
