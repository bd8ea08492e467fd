import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// F462: a network with a fixed engine name (`spec.name`, the README's way for other projects
// to join it: a Traefik `proxy`) failed `berth down` (exit 2, the engine's raw conflict) while
// another project's container was still on it; only the project's own containers were
// looked at. It is kept and named, as an image in use is (F346) and as Compose's `down` warns,
// exit 0; it stays in the last applied set, so the next down removes it once it is free.
// F471: nothing down reports as kept is logged at error level.
describe('berth down of a fixed-name network another project uses', () => {
  const front = uniqueProject('dnetf');
  const back = uniqueProject('dnetb');
  const net = `${front}_proxy`;
  const state = mkdtempSync(join(tmpdir(), 'berth-dnet-state-'));
  const frontDir = mkdtempSync(join(tmpdir(), 'berth-dnetf-'));
  const backDir = mkdtempSync(join(tmpdir(), 'berth-dnetb-'));
  const env = { XDG_STATE_HOME: state };
  writeFileSync(
    join(frontDir, 'set.yaml'),
    `apiVersion: berth/v1
kind: Network
metadata: {name: proxy}
spec: {name: ${net}}
---
${sleeperYaml('web', '  networks: [proxy]\n')}`,
  );
  writeFileSync(
    join(backDir, 'set.yaml'),
    `apiVersion: berth/v1
kind: Network
metadata: {name: proxy}
spec: {external: true, name: ${net}}
---
${sleeperYaml('app', '  networks: [proxy]\n')}`,
  );
  const inFront = (args: string[]) => berth([...args, '-p', front], { cwd: frontDir, env });
  const inBack = (args: string[]) => berth([...args, '-p', back], { cwd: backDir, env });
  const networkExists = () =>
    docker('network', 'inspect', net).then(
      () => true,
      () => false,
    );

  afterAll(async () => {
    await cleanupProject(back);
    await cleanupProject(front);
    await docker('network', 'rm', net).catch(() => undefined);
    for (const dir of [state, frontDir, backDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps it, names the other project’s container, exits 0; the next down removes it', async () => {
    const applied = await inFront(['apply', '-f', 'set.yaml', '--timeout', '60s']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const joined = await inBack(['apply', '-f', 'set.yaml', '--timeout', '60s']);
    expect(joined.code, joined.stdout + joined.stderr).toBe(0);

    const down = await inFront(['down']);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain(
      `Network/proxy: kept, still used by container ${back}-app (not deleted here)`,
    );
    expect(down.stdout).toMatch(/1 deleted, 1 kept\n$/);
    expect(down.stdout).not.toMatch(/failed|conflict/);
    expect(down.stderr).not.toContain('"level":50');
    expect(await networkExists()).toBe(true);
    expect((await docker('inspect', '-f', '{{.State.Status}}', `${back}-app`)).trim()).toBe(
      'running',
    );

    const left = await inBack(['down']);
    expect(left.code, left.stdout + left.stderr).toBe(0);
    const again = await inFront(['down']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Project \S+: 1 deleted\n$/);
    expect(await networkExists()).toBe(false);
  }, 180_000);
});
