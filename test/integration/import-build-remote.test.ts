import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth, importValidateApply } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { startGitDaemon, type GitDaemon } from '../support/git-daemon.js';
import { TestRepo } from '../support/git-repo.js';
import { testEngine } from '../support/engine.js';

/**
 * Compose files berth used to refuse, imported, validated and applied on the real engine:
 * `build.dockerfile_inline`; git URLs as build contexts (`#ref` and `#ref:folder`), which the
 * engine clones itself (here from a `git daemon` on 127.0.0.1, so nothing
 * reaches the internet); and a host port
 * range onto one container port (`R-R+9:80`), of which the engine picks one free port per
 * container — two replicas, two ports.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-remote-'));
const state = join(work, 'state');
const env = { XDG_STATE_HOME: state };
const project = uniqueProject('imprem');
const inlineRef = `localhost/${project}-inline:1`;
const gitRef = `localhost/${project}-git:1`;
const rootRef = `localhost/${project}-root:1`;
// A range of ten ports in 20000–39999, as the engine is asked to pick from.
const first = 20000 + 10 * Math.floor(Math.random() * 2000);
const last = first + 9;
let daemon: GitDaemon;
// Podman takes no host port range onto one container port: berth refuses it there before any
// change (engine-cannot-carry.test.ts), so on Podman the replicas publish nothing.
const onPodman = testEngine() === 'podman';

beforeAll(async () => {
  mkdirSync(join(work, 'repos', 'app'), { recursive: true });
  const repo = new TestRepo(join(work, 'repos', 'app'));
  // The project name keeps BuildKit's cache from answering for another run's clone.
  repo.commit('app', {
    'app/Dockerfile': `FROM ${TEST_IMAGE}\nCOPY hello.txt /hello.txt\nRUN echo ${project} > /built\n`,
    'app/hello.txt': 'hello from git\n',
    Dockerfile: `FROM ${TEST_IMAGE}\nCOPY app/hello.txt /root-hello.txt\n`,
  });
  daemon = await startGitDaemon(join(work, 'repos'), 'app');
});

afterAll(async () => {
  await cleanupProject(project);
  await docker('image', 'rm', '-f', inlineRef, gitRef, rootRef).catch(() => '');
  await daemon?.stop();
  rmSync(work, { recursive: true, force: true });
});

const SLEEP = `["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]`;

function compose(step: string): string {
  return `services:
  inline:
    image: ${inlineRef}
    build:
      context: ./ctx
      dockerfile_inline: |
        FROM ${TEST_IMAGE}
        COPY a.txt /a.txt
        RUN echo ${step} > /step
    command: ${SLEEP}
  cloned:
    image: ${gitRef}
    build: ${daemon.url}app#main:app
    command: ${SLEEP}
${onPodman ? '' : `    ports: ["127.0.0.1:${first}-${last}:80"]\n`}    deploy: {replicas: 2}
  root:
    image: ${rootRef}
    build: ${daemon.url}app#main
    command: ${SLEEP}
`;
}

/** Imports compose.yaml of `work` into out/ (lossless), validates and applies it. */
const importAndApply = () => importValidateApply(work, project, env);

/** Engine names of the running replicas of `cloned` (`<project>-cloned-<i>`). */
const cloned = async () =>
  (await docker('ps', '--filter', `name=^${project}-cloned-`, '--format', '{{.Names}}'))
    .split('\n')
    .filter(Boolean)
    .sort();

describe('import of inline Dockerfiles, git build contexts and host port ranges', () => {
  it('builds both images, publishes each replica on its own port of the range', async () => {
    mkdirSync(join(work, 'ctx'));
    writeFileSync(join(work, 'ctx', 'a.txt'), 'from the context\n');
    writeFileSync(join(work, 'compose.yaml'), compose('first'));
    await importAndApply();

    expect(await docker('run', '--rm', inlineRef, 'cat', '/a.txt', '/step')).toBe(
      'from the context\nfirst',
    );
    // The engine cloned the repository at main and built its app/ folder.
    expect(await docker('run', '--rm', gitRef, 'cat', '/hello.txt', '/built')).toBe(
      `hello from git\n${project}`,
    );
    // The repository's root at main, cloned by BuildKit; a folder of it (above) is built by
    // the legacy builder on engines whose BuildKit cannot (Engine 20.10).
    expect(await docker('run', '--rm', rootRef, 'cat', '/root-hello.txt')).toBe('hello from git');
    const labels = await docker('image', 'inspect', '-f', '{{json .Config.Labels}}', gitRef);
    expect(JSON.parse(labels)).toMatchObject({
      'berth.build-hash': expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const names = await cloned();
    expect(names).toHaveLength(2);
    if (onPodman) return;
    const ports: number[] = [];
    for (const name of names) {
      const bindings = await docker('inspect', '-f', '{{json .HostConfig.PortBindings}}', name);
      expect(JSON.parse(bindings)).toEqual({
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: `${first}-${last}` }],
      });
      const published = await docker('port', name, '80/tcp');
      const port = Number(/^127\.0\.0\.1:(\d+)$/.exec(published)?.[1]);
      expect(port).toBeGreaterThanOrEqual(first);
      expect(port).toBeLessThanOrEqual(last);
      ports.push(port);
    }
    expect(new Set(ports).size).toBe(2);
  });

  it('changes nothing on a second apply, and rebuilds when the inline Dockerfile changes', async () => {
    const plan = await berth(['plan', '-f', 'out', '-p', project, '--exit-code'], {
      cwd: work,
      env,
    });
    expect(plan.code, plan.stdout).toBe(0);
    const gitImage = await docker('image', 'inspect', '-f', '{{.Id}}', gitRef);

    writeFileSync(join(work, 'compose.yaml'), compose('second'));
    await importAndApply();
    expect(await docker('run', '--rm', inlineRef, 'cat', '/step')).toBe('second');
    expect(await docker('image', 'inspect', '-f', '{{.Id}}', gitRef)).toBe(gitImage);
  });
});
