import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { testEngine } from '../support/engine.js';
import { PODMAN_START_TIMEOUT, startPodman, type PodmanService } from '../support/podman.js';

/**
 * Fields an engine cannot carry whatever its API version (F165): on Podman 4.3 a tmpfs owner
 * or a host port range onto one container port fails at create (after the networks and
 * volumes were made), and `domainname`, `gpus` and logging `max-file` are dropped while the
 * apply said converged. berth now refuses such a set before any change, naming the field and
 * the engine, exit 1 (DESIGN.md, second wave). Docker carries them all: there `plan` of the
 * same set plans its creates.
 */

const project = uniqueProject('carry');
const dir = mkdtempSync(join(tmpdir(), 'berth-carry-'));
const onPodman = testEngine() === 'podman';

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

/** A Network, a Volume and a container on them that uses `field`. */
const manifest = (field: string) => `apiVersion: berth/v1
kind: Network
metadata: {name: net}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: data}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${TEST_IMAGE}
  state: created
  networks: [net]
  mounts: [{volume: data, target: /data}${field.startsWith('mounts') ? `, ${field.slice('mounts: '.length)}` : ''}]
  ${field.startsWith('mounts') ? '' : field}
`;

/** What berth made for the project: containers, networks, volumes (none after a refusal). */
async function owned(cli: (...args: string[]) => Promise<string> = docker): Promise<string[]> {
  const filter = `label=berth.project=${project}`;
  const lists = await Promise.all([
    cli('ps', '-aq', '--filter', filter),
    cli('network', 'ls', '-q', '--filter', filter),
    cli('volume', 'ls', '-q', '--filter', filter),
  ]);
  return lists.flatMap((l) => l.split('\n').filter(Boolean));
}

const CASES: [string, string, string, RegExp][] = [
  [
    'a tmpfs owner',
    'm-uid.yaml',
    manifest('mounts: {tmpfs: /cache, uid: 1000, gid: 1000}'),
    /mounts\[\]\.uid\/gid of a tmpfs/,
  ],
  ['domainname', 'm-domain.yaml', manifest('domainname: corp'), /domainname/],
  ['gpus', 'm-gpus.yaml', manifest('gpus: all'), /gpus/],
  [
    'a host port range onto one container port',
    'm-range.yaml',
    manifest('ports: ["127.0.0.1:28000-28009:80"]'),
    /ports\[\]: a host port range onto one container port/,
  ],
  [
    'logging max-file',
    'm-maxfile.yaml',
    manifest('logging: {driver: json-file, options: {max-size: 1m, max-file: 3}}'),
    /logging\.options\.max-file/,
  ],
];

// On Docker (CI) the Podman cases run against a Podman service of their own (test/support/podman.ts).
describe('on Podman, a field it cannot carry is refused before any change', () => {
  let service: PodmanService | undefined;
  let env: NodeJS.ProcessEnv = {};
  let cli: (...args: string[]) => Promise<string> = docker;
  beforeAll(async () => {
    if (onPodman) return;
    service = await startPodman();
    env = service.env;
    cli = (...args) => service!.podman(...args);
  }, PODMAN_START_TIMEOUT);
  afterAll(async () => {
    await service?.stop();
  });

  it.each(CASES)(
    '%s: plan and apply exit 1 naming the field and Podman; nothing is made',
    async (_what, file, text, field) => {
      writeFileSync(join(dir, file), text);
      const line = new RegExp(
        `${file}:\\d+:\\d+: (Container|Image) "app": ${field.source} cannot be carried by the engine \\(Podman [0-9.]+\\): .+ \\[E_ENGINE_FIELD\\]`,
      );
      const plan = await berth(['plan', '-f', file, '-p', project], { cwd: dir, env });
      expect(plan.stderr).toMatch(line);
      expect(plan.code).toBe(1);
      const apply = await berth(['apply', '-f', file, '-p', project], { cwd: dir, env });
      expect(apply.stderr).toMatch(line);
      expect(apply.stderr).toMatch(/nothing was changed/);
      expect(apply.code).toBe(1);
      expect(await owned(cli)).toEqual([]);
    },
  );
});

describe.runIf(!onPodman)('on Docker, the same fields are carried', () => {
  it.each(CASES)('%s: plan plans the creates', async (_what, file, text) => {
    writeFileSync(join(dir, file), text);
    const plan = await berth(['plan', '-f', file, '-p', project], { cwd: dir });
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toMatch(/^\+ Network\/net/m);
    expect(plan.code).toBe(0);
  });
});
