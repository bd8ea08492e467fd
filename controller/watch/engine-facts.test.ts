import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../specs/problems.js';
import { EngineError, type EngineVersion } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import type { WatchController } from './controller.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

/**
 * F286: `berth watch` asks each Container's own engine (its `spec.placement.context`) which
 * fields it cannot carry, as apply does (executor/engine-carry.ts); it asked berth's own
 * engine for the whole set. On in-memory engines, one of which plays Podman (its ping names
 * limits); the real-daemon case is in test/integration/engine-cannot-carry.test.ts.
 */

const P = 'carrywatch';
const PODMAN: EngineVersion['limits'] = {
  engine: 'Podman 4.3.1',
  cannotCarry: [{ field: 'domainname', why: 'it drops Domainname' }],
};
let dir: string;
let controller: WatchController | undefined;

// No default network: not what is tested here (a refused file holding it: desired-store-engines.test.ts).
const container = (name: string, fields = '') =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: ${IMAGE}\n  networkMode: none\n  domainname: corp\n${fields}`;
const on = (context: string) => `  placement: {context: ${context}}\n`;

async function names(engine: MemoryEngine): Promise<string[]> {
  const { containers } = await engine.observe({ project: P });
  return containers.map((c) => c.name ?? '').sort();
}

/**
 * A started and settled watch of `here.yaml` (a container at home) and `there.yaml` (one on
 * context `far`, a second in-memory engine), the home engine given `homeLimits`, far's
 * `farLimits`; any other context cannot be read.
 */
async function started(homeLimits: EngineVersion['limits'], farLimits: EngineVersion['limits']) {
  const far = new MemoryEngine();
  far.addImage(IMAGE);
  far.limits = farLimits;
  await writeFile(join(dir, 'here.yaml'), container('here'));
  await writeFile(join(dir, 'there.yaml'), container('there', on('far')));
  const made = memoryWatch(P, dir, {
    engineFor: async (context) => {
      if (context === 'far') return far;
      throw new EngineError('E_ENGINE_UNREACHABLE', `context "${context}": context not found`);
    },
  });
  made.engine.limits = homeLimits;
  controller = made.controller;
  await controller.start();
  await new Promise((r) => setTimeout(r, 20));
  await controller.lanes.whenIdle();
  const problems = controller.store.snapshot().problems.map((p) => formatProblem(p));
  return { home: made.engine, far, problems };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-carry-watch-'));
});
afterEach(async () => {
  await controller?.stop(1_000);
  controller = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("berth watch asks each container's own engine what it cannot carry (F286)", () => {
  it('beside a home that carries it, a container placed on a Podman context is refused; the one at home is made', async () => {
    const { home, far, problems } = await started(undefined, PODMAN);
    expect(problems).toEqual([
      expect.stringMatching(
        /there\.yaml:\d+:\d+: Container "there": domainname cannot be carried by the engine \(Podman 4\.3\.1\): it drops Domainname \[E_ENGINE_FIELD\]/,
      ),
    ]);
    expect(await names(home)).toEqual([`${P}-here`]);
    expect(await names(far)).toEqual([]);
  });

  it('with a Podman home, a container placed on a context that carries it is made there; the one at home is refused', async () => {
    const { home, far, problems } = await started(PODMAN, undefined);
    expect(problems).toEqual([
      expect.stringMatching(/here\.yaml:\d+:\d+: Container "here": domainname cannot be carried/),
    ]);
    expect(await names(home)).toEqual([]);
    expect(await names(far)).toEqual([`${P}-there`]);
  });

  it('asks each engine once for the whole watch, and none while no field needs it', async () => {
    const { home, far } = await started(undefined, PODMAN);
    const pings = [home.calls.ping, far.calls.ping];
    await writeFile(join(dir, 'here.yaml'), container('here', '  hostname: h\n'));
    await controller!.reloadFolder();
    expect([home.calls.ping, far.calls.ping]).toEqual(pings);
    expect(pings).toEqual([1, 1]);
  });
});
