import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredContainerState } from '../../specs/model.js';
import { converge } from '../../controller/executor/converge.js';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import {
  containerOpSequence,
  type ObservedContainerState,
} from '../../controller/lifecycle/container-decision.js';
import { desiredFrom } from '../support/manifests.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * Every reachable cell of DESIGN.md's lifecycle table on the real daemon: one container
 * per cell is put in the cell's observed state by a first apply, then a second apply
 * declares the cell's desired state. Each must end there, through exactly the table's
 * operations. (`dead` cannot be produced on demand; the in-memory tests cover it.)
 */

const START: ObservedContainerState[] = ['absent', 'created', 'running', 'paused', 'exited'];
const TARGET: DesiredContainerState[] = ['created', 'running', 'paused', 'exited'];
const cells = START.flatMap((from) => TARGET.map((to) => ({ from, to, name: `c-${from}-${to}` })));

function manifest(
  stateOf: (cell: (typeof cells)[number]) => DesiredContainerState | undefined,
): string {
  return cells
    .filter((c) => stateOf(c))
    .map((c) =>
      [
        'apiVersion: berth/v1',
        'kind: Container',
        `metadata: {name: ${c.name}}`,
        'spec:',
        `  image: ${TEST_IMAGE}`,
        `  state: ${stateOf(c)}`,
        '  init: true',
        '  stopGracePeriod: 2s',
        '  command: [sleep, "3600"]',
      ].join('\n'),
    )
    .join('\n---\n');
}

describe('lifecycle table on the real engine', () => {
  const project = uniqueProject('cells');
  afterAll(() => cleanupProject(project));

  it('drives every cell through the table’s operations to the declared state', async () => {
    const engine = await createDockerEngine(resolveEngineAddress(undefined, process.env));
    const run = async (yaml: string, ops?: Map<string, string[]>) =>
      converge(engine, {
        project,
        desired: await desiredFrom(yaml),
        prune: false,
        parallel: 8,
        deadline: Date.now() + 60_000,
        onProgress: (e) => {
          if (e.phase === 'op' && ops) ops.set(e.key, [...(ops.get(e.key) ?? []), e.op ?? '']);
        },
      });

    const setup = await run(
      manifest((c) => (c.from === 'absent' ? undefined : (c.from as DesiredContainerState))),
    );
    expect(setup.result.ok).toBe(true);
    for (const c of cells.filter((x) => x.from !== 'absent')) {
      expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-${c.name}`)).toBe(
        c.from,
      );
    }

    const ops = new Map<string, string[]>();
    const second = await run(
      manifest((c) => c.to),
      ops,
    );
    expect(second.result.outcomes.filter((o) => o.outcome !== 'converged')).toEqual([]);
    for (const c of cells) {
      const state = await docker('inspect', '-f', '{{.State.Status}}', `${project}-${c.name}`);
      expect(state, c.name).toBe(c.to);
      const expected = containerOpSequence({
        observed: c.from,
        desired: c.to,
        replace: false,
        restartPolicy: 'Always',
      }).ops;
      expect(ops.get(`Container/${c.name}`) ?? [], c.name).toEqual(expected);
    }
  });
});
