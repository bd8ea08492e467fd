import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F450: after a start-first update, peers still reach the container by its engine name
 * (`<project>-web`, DESIGN: "by metadata.name, by engine name and by their aliases"). The new
 * container gets that name by a rename at the end of the cut-over; Podman's DNS kept it under
 * its temporary `-next` name, so the engine name resolved to nothing after every update.
 */
const work = mkdtempSync(join(tmpdir(), 'berth-update-name-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('updname');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

function apply(v: number) {
  const dir = join(work, 'app');
  mkdirSync(dir, { recursive: true });
  const web = sleeperYaml('web', `  env: {V: "${v}"}\n  update: {minReady: 1s}\n`);
  writeFileSync(join(dir, 'app.yaml'), `${web}---\n${sleeperYaml('peer')}`);
  return berth(['apply', '-f', dir, '-p', project], { env });
}

/** The addresses the peer's resolver gives for `name` (busybox nslookup), [] when none. */
async function addressesOf(name: string): Promise<string[]> {
  const out = await docker('exec', `${project}-peer`, 'nslookup', name).catch(() => '');
  const answer = out.split(`Name:\t${name}`)[1] ?? '';
  return [...answer.matchAll(/Address(?: \d+)?:\s*([0-9.]+)/g)].map((m) => m[1]!);
}

describe('the engine name after a start-first update', () => {
  it('resolves to the new container, and only to it', async () => {
    const first = await apply(1);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const second = await apply(2);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const name = `${project}-web`;
    expect(await docker('inspect', '-f', '{{json .Config.Env}}', name)).toContain('V=2');
    const ip = (
      await docker(
        'inspect',
        '-f',
        '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
        name,
      )
    ).trim();
    expect(await addressesOf(name)).toEqual([ip]);
    expect(await addressesOf('web')).toEqual([ip]);
  }, 120_000);
});
