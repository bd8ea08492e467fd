import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ViewRow } from '../web/view-types.js';
import { StreamHub, type NumberedMessage } from './stream-hub.js';

const row = (name: string, actual = 'running'): ViewRow => ({
  key: `Container/${name}`,
  kind: 'Container',
  name,
  context: null,
  desired: 'running',
  actual,
  sync: actual === 'running' ? 'Synced' : 'OutOfSync',
  ready: actual === 'running' ? 'yes' : 'no',
  restarts: 0,
  reason: null,
  health: null,
  image: null,
  spec: null,
  diff: [],
});

afterEach(() => vi.useRealTimers());

describe('StreamHub', () => {
  it('numbers messages monotonically from the start time and keeps the view', () => {
    const hub = new StreamHub({ now: () => 5 });
    hub.publish({ type: 'row', row: row('a') });
    hub.publish({ type: 'row', row: row('b') });
    const { id, snapshot } = hub.current();
    expect(id).toBe(5002);
    expect(snapshot.rows.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('replays what came after Last-Event-ID, else sends a snapshot', () => {
    const hub = new StreamHub({ bufferSize: 3, now: () => 0 });
    for (const n of ['a', 'b', 'c', 'd']) hub.publish({ type: 'row', row: row(n) });
    const got: NumberedMessage[] = [];
    hub.subscribe((m) => got.push(m), 2)();
    expect(got.map((m) => m.id)).toEqual([3, 4]);

    const old: NumberedMessage[] = [];
    hub.subscribe((m) => old.push(m), 0)(); // id 1 already left the buffer
    expect(old).toHaveLength(1);
    expect(old[0]!.message.type).toBe('snapshot');
    expect(old[0]!.id).toBe(4);

    const future: NumberedMessage[] = [];
    hub.subscribe((m) => future.push(m), 99)(); // from another run of the controller
    expect(future[0]!.message.type).toBe('snapshot');
  });

  it('coalesces a burst per key to one message per interval, the last state winning', () => {
    vi.useFakeTimers();
    const hub = new StreamHub({ minIntervalMs: 100, now: () => Date.now() });
    const got: NumberedMessage[] = [];
    hub.subscribe((m) => got.push(m));
    got.length = 0;
    for (let i = 0; i < 50; i++)
      hub.publish({ type: 'row', row: row('a', i % 2 ? 'exited' : 'running') }, 'row:a');
    hub.publish({ type: 'row', row: row('b') }, 'row:b');
    expect(got).toHaveLength(2); // the first of a, the first of b
    vi.advanceTimersByTime(100);
    expect(got).toHaveLength(3);
    const last = got[2]!.message;
    expect(last.type === 'row' && last.row.actual).toBe('exited');
    expect(hub.current().snapshot.rows.find((r) => r.name === 'a')?.actual).toBe('exited');
    vi.advanceTimersByTime(1_000);
    expect(got).toHaveLength(3);
  });
});
