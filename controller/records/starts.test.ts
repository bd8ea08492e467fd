import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { ownedCreateRequest } from '../status/testing/fixtures.js';
import { mergeStarts, readStarts, START_RECORD_KEEP_MS, StartLog } from './starts.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'berth-starts-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('start records', () => {
  it('keep the latest start of each container and forget old ones', () => {
    const now = 10 * START_RECORD_KEEP_MS;
    const old = now - START_RECORD_KEEP_MS - 1;
    expect(
      mergeStarts({ a: now - 5, b: old, c: now - 9 }, { a: now - 7, c: now - 1 }, now),
    ).toEqual({ a: now - 5, c: now - 1 });
  });

  it('are noted for the starts that succeed through the engine, and merged with the file', async () => {
    let now = 1_000;
    const engine = new MemoryEngine({ now: () => now });
    engine.addImage('img:1');
    const create = async (name: string) =>
      (await engine.createContainer(ownedCreateRequest('p', name, 'img:1'))).id;
    const first = new StartLog({ stateDir, project: 'p' }, () => now);
    const a = await create('a');
    await first.noting(engine).startContainer(a);
    await first.settled();
    now = 2_000;
    const second = new StartLog({ stateDir, project: 'p' }, () => now);
    const noting = second.noting(engine);
    const b = await create('b');
    await noting.startContainer(b);
    await expect(noting.startContainer('nope')).rejects.toThrow();
    expect(noting.address).toBe(engine.address);
    await second.settled();
    expect(await readStarts(stateDir, 'p')).toEqual({ [a]: 1_000, [b]: 2_000 });
  });
});
