import { describe, expect, it } from 'vitest';
import { heldStatus, startingStatus, statusOnceStarted } from './held-status.js';
import { sampleStatus } from './testing/sample-status.js';

describe('startingStatus', () => {
  it('is never in sync before the source is read, and says why first', () => {
    // What an empty desired set against an empty project reads as: in sync.
    const empty = { ...sampleStatus(), inSync: true, outOfSync: 0, notice: null };
    const starting = startingStatus(empty);
    expect(starting.inSync).toBe(false);
    expect(starting.notice).toBe('berth watch is starting: the source is not read yet');
    const noted = startingStatus({ ...empty, notice: 'Held since …' });
    expect(noted.notice).toBe('berth watch is starting: the source is not read yet; Held since …');
  });
});

describe('statusOnceStarted', () => {
  const inSync = { ...sampleStatus(), inSync: true, outOfSync: 0, notice: null };

  it('a status begun before the source was read is not in sync, though the read ended meanwhile (F38)', async () => {
    let started = false;
    const answer = await statusOnceStarted(
      () => started,
      async () => {
        // The desired set (still empty) is read; the controller finishes reading its source
        // while the engine is being observed.
        await Promise.resolve();
        started = true;
        return inSync;
      },
    );
    expect(answer.inSync).toBe(false);
    expect(answer.notice).toBe('berth watch is starting: the source is not read yet');
  });

  it('once the source is read, the status is as computed', async () => {
    const answer = await statusOnceStarted(
      () => true,
      () => Promise.resolve(inSync),
    );
    expect(answer).toBe(inSync);
  });
});

describe('heldStatus', () => {
  it("gives the object whose failed update made the hold the failure's reason (F162)", () => {
    const status = sampleStatus();
    const [a, b] = status.objects;
    const by = `update of ${a!.key} failed (the new container did not start: host port 127.0.0.1:8080 is in use): rolled back to mx1`;
    const held = heldStatus(status, [a!.key, b!.key], { by, failedUpdate: a!.key });
    const reasons = new Map(held.objects.map((o) => [o.key, o.reason]));
    expect(reasons.get(a!.key)).toBe(`Held: ${by}; berth release applies the declared change`);
    expect(reasons.get(b!.key)).toBe(
      'Held: the source declares a change that is not applied (berth release applies it)',
    );
    expect(held.inSync).toBe(false);
  });
});
