import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/** External networks and volumes: used by name, never created, changed or deleted. */

const work = mkdtempSync(join(tmpdir(), 'berth-ext-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const shared = uniqueProject('shared-net');
const data = uniqueProject('shared-data');
beforeAll(async () => {
  await docker('network', 'create', shared);
  await docker('volume', 'create', data);
});
afterAll(async () => {
  await docker('network', 'rm', shared).catch(() => undefined);
  await docker('volume', 'rm', '-f', data).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const manifest = (net: string, vol: string) => `apiVersion: berth/v1
kind: Network
metadata: {name: shared}
spec: {external: true, name: ${net}}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: data}
spec: {external: true, name: ${vol}}
---
${sleeperYaml('app', '  networks: [shared]\n  mounts: [{volume: data, target: /data}]\n')}`;

function write(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), text);
  return dir;
}

describe('external networks and volumes', () => {
  const project = uniqueProject('ext');
  const dir = join(work, 'app');
  afterAll(() => cleanupProject(project));

  it('joins and mounts them by their own names, and a second apply changes nothing', async () => {
    const out = await berth(['apply', '-f', write(dir, manifest(shared, data)), '-p', project], {
      env,
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const nets = await docker(
      'inspect',
      '-f',
      '{{json .NetworkSettings.Networks}}',
      `${project}-app`,
    );
    expect(Object.keys(JSON.parse(nets))).toEqual([shared]);
    expect(
      await docker('inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}}', `${project}-app`),
    ).toBe(data);
    const plan = await berth(['plan', '-f', dir, '-p', project, '--exit-code'], { env });
    expect(plan.code).toBe(0);
    // status reads the externals too: present, not "does not exist" (exit 3)
    const status = await berth(['status', '-p', project], { env });
    expect(status.stdout).toMatch(/In sync:\s+yes/);
    expect(status.code).toBe(0);
    expect(await docker('network', 'inspect', '-f', '{{json .Labels}}', shared)).toBe('{}');
  });

  it('never deletes them: not with --prune, not with delete', async () => {
    const onlyApp = sleeperYaml('app');
    expect(
      (await berth(['apply', '-f', write(dir, onlyApp), '-p', project, '--prune'], { env })).code,
    ).toBe(0);
    expect(
      (await berth(['delete', '-f', write(dir, manifest(shared, data)), '-p', project], { env }))
        .code,
    ).toBe(0);
    expect(await docker('network', 'inspect', '-f', '{{.Name}}', shared)).toBe(shared);
    expect(await docker('volume', 'inspect', '-f', '{{.Name}}', data)).toBe(data);
    const byName = await berth(['delete', 'Network/shared', '-p', project], { env });
    expect(byName.code).toBe(1);
    expect(await docker('network', 'inspect', '-f', '{{.Name}}', shared)).toBe(shared);
  });

  it('a missing one is a clear error before any change', async () => {
    const other = uniqueProject('ext-missing');
    const missing = `${shared}-nope`;
    const out = await berth(
      ['apply', '-f', write(join(work, 'missing'), manifest(missing, data)), '-p', other],
      { env },
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`external network ${missing} does not exist`);
    expect(await docker('ps', '-aq', '--filter', `label=berth.project=${other}`)).toBe('');
    await expect(docker('network', 'inspect', missing)).rejects.toThrow();
    const plan = await berth(['plan', '-f', join(work, 'missing'), '-p', other], { env });
    expect(plan.stdout).toContain('does not exist');
  });
});
