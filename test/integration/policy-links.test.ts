import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F88 (new-user trial): a symbolic link in a manifest folder lifted the baseline policy — a
 * BindMount of `./etclink -> /etc` handed the host's /etc (shadow file included) to a
 * container, and `./engine.sock -> /var/run/docker.sock` the engine itself. The engine follows
 * links when it mounts, so the policy must judge where a path leads, for bind mounts and for
 * the files Secrets and Configs read.
 */
const project = uniqueProject('plink');
const dir = mkdtempSync(join(tmpdir(), 'berth-plink-'));
const run = (args: string[]) => berth([...args, '-p', project], { cwd: dir });
const owned = async () =>
  (await docker('ps', '-aq', '--filter', `label=berth.project=${project}`)).trim();

symlinkSync('/etc', join(dir, 'etclink'));
symlinkSync('/var/run/docker.sock', join(dir, 'engine.sock'));
symlinkSync('/etc/hostname', join(dir, 'name-link'));
symlinkSync('/etc', join(dir, 'ctxlink'));

const mounting = (hostPath: string, type = 'Directory') => `apiVersion: berth/v1
kind: BindMount
metadata: {name: host}
spec: {hostPath: ${hostPath}, type: ${type}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: c}
spec:
  image: ${TEST_IMAGE}
  command: [sleep, "3600"]
  mounts: [{bindMount: host, target: /host, readOnly: true}]
`;

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

describe('the policy judges where a host path leads', () => {
  it('refuses a bind mount of a link to /etc: validate and apply exit 1 with the position, nothing created', async () => {
    writeFileSync(join(dir, 'app.yaml'), mounting('./etclink'));
    const valid = await run(['validate']);
    expect(valid.code).toBe(1);
    expect(valid.stdout).toContain(
      `app.yaml:4:18: BindMount "host": spec.hostPath ${join(dir, 'etclink')} is a link to /etc: /etc may not be mounted (forbidden by policy) [E_POLICY]`,
    );
    const apply = await run(['apply']);
    expect(apply.code).toBe(1);
    expect(await owned()).toBe('');
  });

  it('refuses a link to the engine socket, and a Secret read through a link into /etc', async () => {
    writeFileSync(
      join(dir, 'app.yaml'),
      mounting('./engine.sock', 'File') +
        `---
apiVersion: berth/v1
kind: Secret
metadata: {name: leak}
spec: {file: ./name-link}
`,
    );
    const valid = await run(['validate']);
    expect(valid.code).toBe(1);
    expect(valid.stdout).toMatch(/engine\.sock is a link to \/run\/docker\.sock/);
    expect(valid.stdout).toMatch(
      /Secret "leak": spec\.file .*name-link is a link to \/etc\/hostname: \/etc\/hostname lies beneath \/etc/,
    );
    expect(await owned()).toBe('');
  });

  it('a path opened with --allow-host-path stays open through its link (/etc/localtime, the socket)', async () => {
    writeFileSync(join(dir, 'app.yaml'), mounting('/etc/localtime', 'File'));
    const localtime = await run(['validate', '--allow-host-path', '/etc/localtime']);
    expect(localtime.code, localtime.stdout).toBe(0);
    writeFileSync(join(dir, 'app.yaml'), mounting('./engine.sock', 'File'));
    const socket = await run(['validate', '--allow-host-path', '/var/run/docker.sock']);
    expect(socket.code, socket.stdout).toBe(0);
  });

  it('judges what an Image build reads: its context and its secret files (F101)', async () => {
    const image = (name: string, build: string) => `apiVersion: berth/v1
kind: Image
metadata: {name: ${name}}
spec:
  ref: localhost/${project}-${name}:1
  build: ${build}
---
`;
    writeFileSync(
      join(dir, 'app.yaml'),
      image('etc', '{context: /etc, dockerfileInline: "FROM scratch"}') +
        image('linked', '{context: ./ctxlink, dockerfileInline: "FROM scratch"}') +
        image(
          'secret',
          '{context: ., dockerfileInline: "FROM scratch", secrets: [{id: s, file: /etc/hostname}]}',
        ),
    );
    const valid = await run(['validate']);
    expect(valid.code).toBe(1);
    expect(valid.stdout).toContain(
      'Image "etc": spec.build.context /etc may not be mounted (forbidden by policy) [E_POLICY]',
    );
    expect(valid.stdout).toMatch(
      /Image "linked": spec\.build\.context .*ctxlink is a link to \/etc/,
    );
    expect(valid.stdout).toMatch(
      /Image "secret": spec\.build\.secrets\[0\]\.file \/etc\/hostname lies beneath \/etc/,
    );
    const apply = await run(['apply']);
    expect(apply.code).toBe(1);
    expect(await docker('image', 'ls', '-q', `localhost/${project}-*`)).toBe('');
  });

  it('judges the env files a container reads, and never echoes a line it refuses (F103)', async () => {
    writeFileSync(join(dir, 'creds'), 'https://bob:ghp_CANARY123@github.com\n');
    writeFileSync(
      join(dir, 'app.yaml'),
      `apiVersion: berth/v1
kind: Container
metadata: {name: c}
spec:
  image: ${TEST_IMAGE}
  command: [sleep, "3600"]
  envFiles: [/proc/self/environ, /etc/os-release, ./name-link, ./creds]
`,
    );
    const valid = await run(['validate']);
    expect(valid.code).toBe(1);
    expect(valid.stdout).toContain('spec.envFiles[0] /proc/self/environ lies beneath /proc');
    expect(valid.stdout).toContain('spec.envFiles[1] /etc/os-release lies beneath /etc');
    expect(valid.stdout).toMatch(/spec\.envFiles\[2\] .*name-link is a link to \/etc\/hostname/);
    expect(valid.stdout).toMatch(/spec\.envFiles\[3\] .*creds:1:1: is not NAME=VALUE/);
    expect(valid.stdout + valid.stderr).not.toContain('CANARY');
    expect(await owned()).toBe('');
  });

  it("forbids the socket of the engine berth talks to, and Podman's and containerd's (F106)", async () => {
    const socket = join(dir, 'rootless', 'docker.sock');
    writeFileSync(
      join(dir, 'app.yaml'),
      ['/run/podman/podman.sock', '/run/containerd/containerd.sock', socket]
        .map(
          (path, i) =>
            `apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: s${i}}\nspec: {hostPath: ${path}, type: FileOrCreate}\n`,
        )
        .join('---\n'),
    );
    const valid = await berth(['validate', '-p', project], {
      cwd: dir,
      env: { DOCKER_HOST: `unix://${socket}` },
    });
    expect(valid.code).toBe(1);
    expect(valid.stdout).toContain('/run/podman/podman.sock may not be mounted');
    expect(valid.stdout).toContain('/run/containerd/containerd.sock may not be mounted');
    expect(valid.stdout).toContain(`${socket} may not be mounted`);
  });
});
