import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { scratchDockerConfig } from '../support/cluster.js';
import { TEST_IMAGE, cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';
import { testEngine } from '../support/engine.js';
import { PODMAN_START_TIMEOUT, startPodman, type PodmanService } from '../support/podman.js';
import { eventually, spawnBerth, waitForApi } from './watch-support.js';

/**
 * Fields an engine cannot carry whatever its API version (F165): on Podman 4.3 a tmpfs owner
 * or a host port range onto one container port fails at create (after the networks and
 * volumes were made), and `domainname`, `gpus` and logging `max-file` are dropped while the
 * apply said converged. berth now refuses such a set before any change, naming the field and
 * the engine, exit 1 (DESIGN.md, second wave). Docker carries them all: there `plan` of the
 * same set plans its creates. F221: `run`, `diff` and `rollback` ask too, and an object placed
 * on another context is asked of that context's engine.
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
let service: PodmanService | undefined;
/** berth's environment for the Podman cases, and the CLI that lists what Podman holds. */
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

describe('on Podman, a field it cannot carry is refused before any change', () => {
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

/** Containers (one-offs too), networks and volumes of the project on berth's own engine. */
const ownedHere = () => owned(docker);

describe('run, diff and rollback ask the engine too (F221)', () => {
  it("a volume subpath the engine's API version cannot carry: run and diff exit 1 naming the version", async () => {
    // API 1.41 here (Docker 20.10; Podman 4.3's compatible API says the same): subpath is 1.45.
    const file = 'm-subpath.yaml';
    writeFileSync(join(dir, file), manifest('mounts: {volume: data, target: /sub, subpath: app}'));
    const line = new RegExp(
      `${file}:\\d+:\\d+: .*mounts\\[\\]\\.subpath needs Engine API 1\\.45; the engine speaks 1\\.4[0-4] \\[E_ENGINE_API\\]`,
    );
    const run = await berth(['run', '-p', project, '-f', file, '--rm', 'app', 'true'], {
      cwd: dir,
    });
    expect(run.stderr).toMatch(line);
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(run.code).toBe(1);
    const diff = await berth(['diff', '-f', file, '-p', project], { cwd: dir });
    expect(diff.stderr).toMatch(line);
    expect(diff.code).toBe(1);
    expect(await ownedHere()).toEqual([]);
  });

  it('on Podman, run and diff of a container with a field Podman cannot carry exit 1 naming Podman', async () => {
    const file = 'm-run-domain.yaml';
    writeFileSync(join(dir, file), manifest('domainname: corp'));
    const line =
      /"app": domainname cannot be carried by the engine \(Podman [0-9.]+\): .+ \[E_ENGINE_FIELD\]/;
    const run = await berth(['run', '-p', project, '-f', file, '--rm', 'app', 'true'], {
      cwd: dir,
      env,
    });
    expect(run.stderr).toMatch(line);
    expect(run.code).toBe(1);
    const diff = await berth(['diff', '-f', file, '-p', project], { cwd: dir, env });
    expect(diff.stderr).toMatch(line);
    expect(diff.code).toBe(1);
    expect(await owned(cli)).toEqual([]);
  });

  it('a one-off publishes no port: on Podman, run of a container with a host port range runs', async () => {
    const file = 'm-run-range.yaml';
    writeFileSync(
      join(dir, file),
      `apiVersion: berth/v1
kind: Container
metadata: {name: ranged}
spec:
  image: ${TEST_IMAGE}
  networkMode: bridge
  ports: ["127.0.0.1:28000-28009:80"]
`,
    );
    const args = [
      'run',
      '-p',
      project,
      '-f',
      file,
      '--rm',
      '--entrypoint',
      'echo',
      'ranged',
      'ran',
    ];
    const run = await berth(args, { cwd: dir, env });
    expect(run.stderr).not.toMatch(/E_ENGINE_FIELD|cannot be carried/);
    expect(run.stdout, run.stderr).toContain('ran');
    expect(run.code).toBe(0);
    expect(await owned(cli)).toEqual([]);
  });

  it.runIf(!onPodman)(
    'a set applied on Docker and rolled back onto Podman is refused before any change',
    async () => {
      const rolled = uniqueProject('carryrb');
      const state = mkdtempSync(join(tmpdir(), 'berth-carry-state-'));
      const file = 'm-rollback.yaml';
      try {
        for (const value of ['1', '2']) {
          writeFileSync(join(dir, file), manifest(`domainname: corp${value}`));
          const applied = await berth(['apply', '-f', file, '-p', rolled], {
            cwd: dir,
            env: { XDG_STATE_HOME: state },
          });
          expect(applied.code, applied.stderr).toBe(0);
        }
        const rollback = await berth(['rollback', '-p', rolled], {
          cwd: dir,
          env: { ...env, XDG_STATE_HOME: state },
        });
        expect(rollback.stderr).toMatch(/domainname cannot be carried by the engine \(Podman/);
        expect(rollback.code).toBe(1);
        expect(await cli('ps', '-aq', '--filter', `label=berth.project=${rolled}`)).toBe('');
      } finally {
        await cleanupProject(rolled);
        rmSync(state, { recursive: true, force: true });
      }
    },
  );
});

describe.runIf(!onPodman)(
  'a container placed on a Podman context beside a Docker home (F221)',
  () => {
    const scratch = scratchDockerConfig('carry-ctx');
    const placedProject = uniqueProject('carryctx');
    beforeAll(async () => {
      mkdirSync(scratch.dir);
      writeFileSync(
        join(scratch.dir, 'set.yaml'),
        `apiVersion: berth/v1
kind: Container
metadata: {name: here}
spec: {image: ${TEST_IMAGE}, state: created, domainname: corp}
---
apiVersion: berth/v1
kind: Container
metadata: {name: there}
spec:
  image: ${service!.image}
  state: created
  placement: {context: pod}
  domainname: corp
`,
      );
      await scratch.contexts('create', 'pod', '--docker', `host=${service!.host}`);
    });
    afterAll(async () => {
      await cleanupProject(placedProject);
      rmSync(scratch.work, { recursive: true, force: true });
    });

    it('plan, diff and apply ask the engine of that context and exit 1 naming it; nothing is made', async () => {
      const line =
        /set\.yaml:\d+:\d+: Container "there": domainname cannot be carried by the engine \(Podman [0-9.]+\)/;
      for (const verb of ['plan', 'diff', 'apply']) {
        const r = await berth([verb, '-f', scratch.dir, '-p', placedProject], { env: scratch.env });
        expect(r.stderr, verb).toMatch(line);
        expect(r.stderr, verb).toMatch(/the engine \(context pod: Podman [0-9.]+, API [0-9.]+\)/);
        // Docker carries it: the container at home is not named.
        expect(r.stderr, verb).not.toMatch(/"here"/);
        expect(r.code, verb).toBe(1);
      }
      const filter = `label=berth.project=${placedProject}`;
      expect(await docker('ps', '-aq', '--filter', filter)).toBe('');
      expect(await cli('ps', '-aq', '--filter', filter)).toBe('');
    });

    it('berth watch asks the engine of that context too (F286): the container there is refused, the one at home is made', async () => {
      const watched = join(scratch.work, 'watched');
      mkdirSync(watched);
      const [here, there] = readFileSync(join(scratch.dir, 'set.yaml'), 'utf8').split('---\n');
      writeFileSync(join(watched, 'here.yaml'), here!);
      writeFileSync(join(watched, 'there.yaml'), there!);
      const watchProject = uniqueProject('carryw');
      const filter = `label=berth.project=${watchProject}`;
      const port = await freePort();
      const args = ['watch', watched, '-p', watchProject, '--listen', `127.0.0.1:${port}`];
      const watch = spawnBerth(args, scratch.env);
      try {
        await waitForApi(watch);
        const line =
          /there\.yaml:\d+:\d+: Container \\"there\\": domainname cannot be carried by the engine \(Podman [0-9.]+\)/;
        const status = async () => (await fetch(`${watch.api}/api/v1/status`)).text();
        const settled = await eventually(
          async () =>
            line.test(await status()) && (await docker('ps', '-aq', '--filter', filter)) !== '',
          60_000,
          200,
        );
        expect(settled, `${await status()}\n${watch.stderr()}`).toBe(true);
        // Docker carries it: the container at home is not named, and is made.
        expect(await status()).not.toMatch(/"here\\": domainname/);
        expect(await docker('ps', '-aq', '--filter', filter)).not.toBe('');
        expect(await cli('ps', '-aq', '--filter', filter)).toBe('');
      } finally {
        watch.child.kill('SIGTERM');
        await watch.exited;
        await cleanupProject(watchProject);
      }
    });
  },
);
