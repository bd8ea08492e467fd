import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { itExceptOn } from '../support/engine-skip.js';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * Issue 19 item 3: a network removed behind berth's back while its containers are
 * stopped. The containers still name the old network's id; berth must bring them back on
 * the network it creates again, not fail to start them on every apply.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const env = { XDG_STATE_HOME: state };
const project = uniqueProject('netgone');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
});

const on = '  networks: [shared]\n';

describe('a network removed while its containers are stopped', () => {
  itExceptOn(
    'podman',
    'Podman refuses to remove a network that stopped containers are attached to ("network is being used"): the state this test repairs cannot arise there',
  )('is created again and the containers run on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-netgone-'));
    writeFileSync(
      join(dir, 'a.yaml'),
      'apiVersion: berth/v1\nkind: Network\nmetadata: {name: shared}\n---\n' +
        `${sleeperYaml('one', on)}---\n${sleeperYaml('two', on)}`,
    );
    const apply = () => berth(['apply', '-f', dir, '-p', project], { env });
    expect((await apply()).code).toBe(0);
    const names = [`${project}-one`, `${project}-two`];
    await docker('stop', '-t', '1', ...names);
    await docker('network', 'rm', `${project}-shared`);

    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toMatch(/Container\/one.*network shared/);
    const again = await apply();
    expect(again.stderr + again.stdout).not.toMatch(/not found/);
    expect(again.code).toBe(0);
    const netId = await docker('network', 'inspect', '-f', '{{.Id}}', `${project}-shared`);
    for (const name of names) {
      expect(await docker('inspect', '-f', '{{.State.Status}}', name)).toBe('running');
      const endpoint = await docker(
        'inspect',
        '-f',
        `{{(index .NetworkSettings.Networks "${project}-shared").NetworkID}}`,
        name,
      );
      expect(endpoint).toBe(netId);
    }
    // They reach each other by name on the new network.
    await docker('exec', names[0] as string, 'ping', '-c', '1', '-W', '2', 'two');
    const settled = await berth(['plan', '-f', dir, '-p', project, '--exit-code'], { env });
    expect(settled.code).toBe(0);
  });
});
