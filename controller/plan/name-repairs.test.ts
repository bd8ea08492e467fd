import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import type { ObservedContainer } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { converge } from '../executor/converge.js';
import { observeAndPlan } from '../observe.js';
import { nameRepairSteps } from './name-repairs.js';
import { formatPlan } from './plan-format.js';

function container(id: string, engineName: string, declared?: string): ObservedContainer {
  const labels: Record<string, string> = declared
    ? { 'berth.project': 'p', 'berth.kind': 'Container', 'berth.name': declared }
    : {};
  return {
    ...{ id, name: engineName, labels, state: 'running', imageId: 'sha256:1', imageRef: 'i' },
    ...{ createdAt: 0, health: 'none', networks: [], ports: [] },
  };
}

const brief = (steps: ReturnType<typeof nameRepairSteps>) =>
  steps.map((s) => `${s.action} ${s.id}${s.to ? ` -> ${s.to}` : ''}`);

describe('nameRepairSteps (pure)', () => {
  it('swaps two containers renamed onto each other’s names back through a temporary name', () => {
    const cross = [container('aaaa', 'p-b', 'a'), container('bbbb', 'p-a', 'b')];
    expect(brief(nameRepairSteps(cross, 'p'))).toEqual([
      'rename bbbb -> p-b-bbbb',
      'rename aaaa -> p-a',
      'rename bbbb -> p-b',
    ]);
  });

  it('renames one back when its own name is free, and says why', () => {
    const steps = nameRepairSteps([container('aaaa', 'renamed-by-hand', 'a')], 'p');
    expect(steps).toEqual([
      {
        action: 'rename',
        id: 'aaaa',
        to: 'p-a',
        key: 'Container/a',
        cause: 'found under engine name renamed-by-hand (renamed outside berth)',
        optional: true,
      },
    ]);
  });

  it('removes a misnamed copy of a container that sits under its own name', () => {
    const copy = [container('aaaa', 'p-a', 'a'), container('cccc', 'p-copy', 'a')];
    expect(brief(nameRepairSteps(copy, 'p'))).toEqual(['remove cccc']);
  });

  it('names nothing that lacks the project’s labels, and leaves updates’ leftovers alone', () => {
    const others = [
      container('ffff', 'p-a'),
      { ...container('9999', 'q-a', 'a'), labels: { 'berth.project': 'q', 'berth.name': 'a' } },
      container('nnnn', 'p-a-next', 'a'),
      container('aaaa', 'p-a', 'a'),
    ];
    expect(nameRepairSteps(others, 'p')).toEqual([]);
  });

  it('a rename cycle of three ends with every container under its own name', () => {
    const ring = [
      container('aaaa', 'p-b', 'a'),
      container('bbbb', 'p-c', 'b'),
      container('cccc', 'p-a', 'c'),
    ];
    const names = new Map(ring.map((c) => [c.id, c.name]));
    for (const s of nameRepairSteps(ring, 'p')) {
      expect([...names.values()]).not.toContain(s.to);
      names.set(s.id, s.to as string);
    }
    expect(Object.fromEntries(names)).toEqual({ aaaa: 'p-a', bbbb: 'p-b', cccc: 'p-c' });
  });
});

describe('plan of cross-renamed containers (in-memory engine)', () => {
  const yaml = ['a', 'b']
    .map(
      (n) =>
        `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${n}}\nspec: {image: img:1, env: {N: ${n}}}`,
    )
    .join('\n---\n');

  it('plan shows the renames; apply runs them and then nothing is left to do', async () => {
    const engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage('img:1');
    const desired = await desiredFrom(yaml);
    const input = { project: 'p', desired, prune: true };
    const run = () => converge(engine, { ...input, parallel: 2, deadline: Date.now() + 10_000 });
    expect((await run()).result.ok).toBe(true);
    const idOf = async (name: string) =>
      (await engine.observe({ project: 'p' })).containers.find((c) => c.name === name)?.id ?? '';
    const [a, b] = [await idOf('p-a'), await idOf('p-b')];
    await engine.renameContainer(a, 'p-tmp');
    await engine.renameContainer(b, 'p-a');
    await engine.renameContainer(a, 'p-b');

    const text = formatPlan((await observeAndPlan(engine, input)).plan);
    expect(text).toContain(
      `~ Container/a  rename p-a    found under engine name p-b (renamed outside berth)`,
    );
    expect(text).toContain(
      `~ Container/b  rename p-b-${b.slice(0, 12)}  found under engine name p-a (renamed outside berth); moved aside for Container/a`,
    );
    expect((await run()).result.ok).toBe(true);
    expect([await idOf('p-a'), await idOf('p-b')]).toEqual([a, b]);
    expect(formatPlan((await observeAndPlan(engine, input)).plan)).toBe(
      'Project p: no changes; the engine matches the manifests.\n',
    );
  });
});
