import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputSchemaErrors } from '../../controller/status/testing/output-schemas.js';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * The declared name of a Container with `replicas: 2` names it in every verb, as a Compose
 * service name does (`docker compose run api`): `get` and `describe` show its replicas,
 * `run` starts a one-off from its spec (FINDINGS F14; `logs` and `exec` already took it).
 */

const work = mkdtempSync(join(tmpdir(), 'berth-replica-names-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('repnames');
const dir = join(work, 'app');

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), sleeperYaml('api', '  replicas: 2\n'));
  const applied = await berth(['apply', '-f', dir, '-p', project], { env });
  expect(applied.code).toBe(0);
});
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('the declared name of a replicated container', () => {
  it('get container/api lists its replicas', async () => {
    const got = await berth(['get', 'container/api', '-p', project, '-o', 'json'], { env });
    expect(got.code).toBe(0);
    const items = (JSON.parse(got.stdout) as { items: { name: string }[] }).items;
    expect(items.map((i) => i.name)).toEqual(['api-1', 'api-2']);
  });

  it('describe container/api describes each replica; -o json fits the describe schema', async () => {
    const text = await berth(['describe', 'container/api', '-p', project], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Engine name: ${project}-api-1`);
    expect(text.stdout).toContain(`Engine name: ${project}-api-2`);
    const json = await berth(['describe', 'container/api', '-p', project, '-o', 'json'], { env });
    expect(json.code).toBe(0);
    const value = JSON.parse(json.stdout) as { items: { status: { name: string } }[] };
    expect(value.items.map((i) => i.status.name)).toEqual(['api-1', 'api-2']);
    expect(outputSchemaErrors('describe', value)).toEqual([]);
    const one = await berth(['describe', 'container/api-2', '-p', project, '-o', 'json'], { env });
    expect(outputSchemaErrors('describe', JSON.parse(one.stdout))).toEqual([]);
    const unknown = await berth(['describe', 'container/nope', '-p', project], { env });
    expect(unknown.code).toBe(1);
  });

  it('run api starts a one-off from its spec that never answers to a replica name', async () => {
    const run = ['run', '-p', project, '--entrypoint', 'echo', 'api', '--', 'one-off'];
    const out = await berth(run, { env });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe('one-off');
    expect(out.code).toBe(0);
    const id = (
      await docker(
        'ps',
        '-aq',
        '--filter',
        `label=berth.project=${project}`,
        '--filter',
        'label=berth.run-of=api',
      )
    ).trim();
    expect(id).not.toBe('');
    const aliases = await docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{json .Aliases}}{{end}}',
      id,
    );
    expect(aliases).toContain('"api"');
    expect(aliases).not.toContain('"api-1"');
  });
});
