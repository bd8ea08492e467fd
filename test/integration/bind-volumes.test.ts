import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth, importValidateApply } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * A named volume that binds a host folder (Compose's `driver_opts: {type: none, o: bind,
 * device: ./data}`), found in a new-user trial: a relative device failed the mount (F90), an
 * absolute one lifted the host-path policy (F91), and `down --volumes` said the folder's data
 * was removed when the engine only forgot the volume.
 */
const project = uniqueProject('bvol');
const work = mkdtempSync(join(tmpdir(), 'berth-bvol-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-bvol-state-'));
const env = { XDG_STATE_HOME: stateDir };

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('volumes that bind a host folder', () => {
  it('import keeps a relative device relative, apply mounts the folder beside the Compose file', async () => {
    mkdirSync(join(work, 'hostdata'));
    writeFileSync(join(work, 'hostdata', 'f'), 'persisted');
    writeFileSync(
      join(work, 'compose.yaml'),
      `services:
  a:
    image: ${TEST_IMAGE}
    command: [sleep, "3600"]
    init: true
    volumes: [data:/d]
volumes:
  data:
    driver: local
    driver_opts: {type: none, o: bind, device: ./hostdata}
`,
    );
    await importValidateApply(work, project, env);
    const written = readdirSync(join(work, 'out'))
      .map((f) => readFileSync(join(work, 'out', f), 'utf8'))
      .join('\n');
    expect(written).toContain('device: ../hostdata');
    expect(await docker('exec', `${project}-a`, 'cat', '/d/f')).toBe('persisted');
  });

  it('down --volumes says the host folder stays, and it does', async () => {
    const down = await berth(['down', '--volumes', '-p', project], { cwd: join(work, 'out'), env });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain(
      `Volume/data: removed; its host folder ${join(work, 'hostdata')} is kept with its files`,
    );
    expect(existsSync(join(work, 'hostdata', 'f'))).toBe(true);
  });

  it('the policy judges the device as a host path: /etc is refused with its position, nothing created', async () => {
    const dir = join(work, 'etc');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'v.yaml'),
      `apiVersion: berth/v1
kind: Volume
metadata: {name: hostetc}
spec:
  options: {type: none, o: bind, device: /etc}
`,
    );
    const valid = await berth(['validate', '-p', project], { cwd: dir, env });
    expect(valid.code).toBe(1);
    expect(valid.stdout).toContain(
      'v.yaml:5:42: Volume "hostetc": spec.options.device /etc may not be mounted (forbidden by policy) [E_POLICY]',
    );
    const apply = await berth(['apply', '-p', project], { cwd: dir, env });
    expect(apply.code).toBe(1);
    expect(await docker('volume', 'ls', '-q', '--filter', `label=berth.project=${project}`)).toBe(
      '',
    );
  });

  it('a volume that mounts a host disk or an overlay of host folders is refused; tmpfs and nfs are not (F100)', async () => {
    const dir = join(work, 'fs');
    mkdirSync(dir);
    const volume = (name: string, options: string) =>
      `apiVersion: berth/v1\nkind: Volume\nmetadata: {name: ${name}}\nspec:\n  options: ${options}\n---\n`;
    writeFileSync(
      join(dir, 'v.yaml'),
      volume('disk', '{type: ext4, device: /dev/vda}') +
        volume(
          'overlay',
          '{type: overlay, device: overlay, o: "lowerdir=/etc,upperdir=/tmp/u,workdir=/tmp/w"}',
        ) +
        volume('memory', '{type: tmpfs, device: tmpfs, o: "size=64m"}') +
        volume('share', '{type: nfs, o: "addr=127.0.0.1,ro", device: ":/srv/share"}'),
    );
    const valid = await berth(['validate', '-p', project], { cwd: dir, env });
    expect(valid.code).toBe(1);
    const problems = valid.stdout.trim().split('\n');
    expect(problems).toEqual([
      'v.yaml:5:19: Volume "disk": spec.options.type mounts a file system of the engine\'s host (type ext4), which the policy forbids (allowed under --policy privileged) [E_POLICY]',
      'v.yaml:11:19: Volume "overlay": spec.options.type mounts a file system of the engine\'s host (type overlay), which the policy forbids (allowed under --policy privileged) [E_POLICY]',
    ]);
    const privileged = await berth(['validate', '--policy', 'privileged', '-p', project], {
      cwd: dir,
      env,
    });
    expect(privileged.code, privileged.stdout).toBe(0);
  });

  it('a volume whose driver_opts a template left blank is a plain volume: imported, valid, applied, writable', async () => {
    const dir = join(work, 'blank');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), 'SITE_VOLUME_TYPE=\nSITE_VOLUME_OPTS=\nSITE_VOLUME_DEV=\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  b:
    image: ${TEST_IMAGE}
    command: [sh, -c, "echo kept > /sites/f && sleep 3600"]
    init: true
    volumes: [sites:/sites]
volumes:
  sites:
    driver_opts:
      type: "\${SITE_VOLUME_TYPE}"
      o: "\${SITE_VOLUME_OPTS}"
      device: "\${SITE_VOLUME_DEV}"
`,
    );
    const blankProject = `${project}-blank`;
    try {
      await importValidateApply(dir, blankProject, env);
      const inspect = JSON.parse(await docker('volume', 'inspect', `${blankProject}-sites`)) as {
        Options: Record<string, string> | null;
        Mountpoint: string;
      }[];
      expect(inspect[0]?.Options ?? {}).toEqual({});
      expect(inspect[0]?.Mountpoint).toMatch(/\/volumes\/.+\/_data$/);
      await new Promise((r) => setTimeout(r, 500));
      expect(await docker('exec', `${blankProject}-b`, 'cat', '/sites/f')).toBe('kept');
    } finally {
      await cleanupProject(blankProject);
    }
  });
});
