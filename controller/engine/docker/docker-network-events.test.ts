import { describe, expect, it } from 'vitest';
import type { DockerRawEvent } from './docker-events.js';
import { NetworkEventFeed } from './docker-network-events.js';

const net = (id: string) => ({ Id: id, Name: `p-${id}`, Driver: 'bridge' });
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('NetworkEventFeed (network events for an engine that sends none)', () => {
  it('delivers what appears and goes between list reads, after a silent baseline', async () => {
    let listed = [net('a'), net('b')];
    let reads = 0;
    const feed = new NetworkEventFeed(async () => (reads++, listed), 10);
    const seen: DockerRawEvent[] = [];
    const stop = feed.subscribe((raw) => seen.push(raw));
    await tick();
    expect(seen).toEqual([]);
    listed = [net('b'), net('c')];
    await tick();
    expect(seen.map((e) => `${e.Action} ${e.Actor?.Attributes?.name}`).sort()).toEqual([
      'create p-c',
      'destroy p-a',
    ]);
    stop();
    const after = reads;
    await tick();
    expect(reads).toBeLessThanOrEqual(after + 1);
  });

  it('delivers its own changes at once and never twice', async () => {
    let listed = [net('a')];
    const feed = new NetworkEventFeed(async () => listed, 10);
    const seen: string[] = [];
    const stop = feed.subscribe((raw) => seen.push(`${raw.Action} ${raw.Actor?.ID}`));
    await tick();
    feed.noted('destroy', net('a'));
    listed = [];
    expect(seen).toEqual(['destroy a']);
    await tick();
    expect(seen).toEqual(['destroy a']);
    stop();
  });
});
