import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F26 follow-up on the real engine: replica 1 renamed in place (`p-api` ↔ `p-api-1`) answers
 * to the same network aliases as a container created fresh at that replica count. The engine
 * renames a container's own DNS name but keeps its aliases, so berth connects the endpoint
 * again with the new ones; the container is never stopped.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-scale-aliases-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const scaled = uniqueProject('alias');
const fresh = uniqueProject('aliasfresh');
afterAll(async () => {
  await cleanupProject(scaled);
  await cleanupProject(fresh);
  rmSync(work, { recursive: true, force: true });
});

const manifest = (replicas: number) =>
  sleeperYaml('api', `  replicas: ${replicas}\n`) + '---\n' + sleeperYaml('peer');

function apply(project: string, replicas: number) {
  // One folder per project: apply refuses to delete what another folder applied.
  const dir = join(work, project);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), manifest(replicas));
  return berth(['apply', '-f', dir, '-p', project], { env });
}

/** `network: aliases` of one container, without the short id the engine adds to every endpoint. */
async function aliasesOf(name: string): Promise<Record<string, string[]>> {
  const text = await docker('inspect', '-f', '{{.Id}} {{json .NetworkSettings.Networks}}', name);
  const [id = '', json = '{}'] = text.split(/ (.*)/s);
  const networks = JSON.parse(json) as Record<string, { Aliases: string[] | null }>;
  return Object.fromEntries(
    Object.entries(networks).map(([network, e]) => [
      network.replace(/^[^-]+-[^-]+-/, ''),
      (e.Aliases ?? []).filter((a) => !id.startsWith(a)).sort(),
    ]),
  );
}

/** Whether a peer on the project's network resolves `name` (the engine's DNS). */
async function resolves(project: string, name: string): Promise<boolean> {
  // busybox nslookup exits 1 on NXDOMAIN.
  return docker('exec', `${project}-peer`, 'nslookup', name).then(
    (out) => out.includes(`Name:\t${name}`),
    () => false,
  );
}

const idAndStart = (name: string) => docker('inspect', '-f', '{{.Id}} {{.State.StartedAt}}', name);

describe('replica 1 renamed in place keeps the aliases of its replica count', () => {
  it('1 → 3 gives p-api-1 the alias api-1, 3 → 1 takes it away, as a fresh apply would; never stopped', async () => {
    expect((await apply(scaled, 1)).code).toBe(0);
    const single = await aliasesOf(`${scaled}-api`);
    const before = await idAndStart(`${scaled}-api`);
    expect((await apply(fresh, 3)).code).toBe(0);
    const freshFirst = await aliasesOf(`${fresh}-api-1`);
    expect(freshFirst).toEqual({ default: ['api', 'api-1'] });

    const three = await apply(scaled, 3);
    expect(three.code, three.stdout + three.stderr).toBe(0);
    expect(await idAndStart(`${scaled}-api-1`)).toBe(before);
    expect(await aliasesOf(`${scaled}-api-1`)).toEqual(freshFirst);
    expect(await resolves(scaled, 'api-1')).toBe(true);
    expect(await resolves(scaled, `${scaled}-api-1`)).toBe(true);

    const one = await apply(scaled, 1);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(await idAndStart(`${scaled}-api`)).toBe(before);
    expect(await aliasesOf(`${scaled}-api`)).toEqual(single);
    expect(single).toEqual({ default: ['api'] });
    expect(await resolves(scaled, 'api-1')).toBe(false);
    expect(await resolves(scaled, 'api')).toBe(true);

    // Created at 3, scaled to 1: no stale api-1.
    expect(await resolves(fresh, 'api-1')).toBe(true);
    const freshStart = await idAndStart(`${fresh}-api-1`);
    expect((await apply(fresh, 1)).code).toBe(0);
    expect(await idAndStart(`${fresh}-api`)).toBe(freshStart);
    expect(await aliasesOf(`${fresh}-api`)).toEqual(single);
    expect(await resolves(fresh, 'api-1')).toBe(false);
    expect(await resolves(fresh, `${fresh}-api`)).toBe(true);
  }, 120_000);
});
