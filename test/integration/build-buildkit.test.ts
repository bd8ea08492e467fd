import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth, berthProcess } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * Builds go through the engine's BuildKit (DESIGN "Images"): `RUN --mount` (which the legacy
 * builder refuses), `target` and `args` of a multi-stage Dockerfile; a failed build shows the
 * last 20 lines of its output; what this engine's built-in frontend cannot parse (heredocs,
 * `COPY --link`) fail with a message saying why; declared build secrets reach `RUN --mount=type=secret`
 * over a BuildKit session and are printed nowhere.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const root = mkdtempSync(join(tmpdir(), 'berth-bk-'));
const env = { XDG_STATE_HOME: state };
const project = uniqueProject('bk');
const refs: string[] = [];
afterAll(async () => {
  await cleanupProject(project);
  for (const ref of refs) await docker('image', 'rm', '-f', ref).catch(() => '');
  rmSync(state, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
/** A folder with `dockerfile` as ctx/Dockerfile and an Image manifest for it; returns the dir and ref. */
function image(dockerfile: string, build = ''): { dir: string; ref: string } {
  const dir = join(root, `case-${++n}`);
  mkdirSync(join(dir, 'ctx'), { recursive: true });
  writeFileSync(join(dir, 'ctx', 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'ctx', 'hello.txt'), 'hello\n');
  const ref = `localhost/${project}-${n}:1`;
  refs.push(ref);
  writeFileSync(
    join(dir, 'img.yaml'),
    `apiVersion: berth/v1\nkind: Image\nmetadata: {name: img}\nspec: {ref: "${ref}", build: {context: ./ctx${build}}}\n`,
  );
  return { dir, ref };
}

const apply = (dir: string) => berth(['apply', '-f', dir, '-p', project], { env });
const run = (ref: string, ...cmd: string[]) => docker('run', '--rm', ref, ...cmd);

describe('builds through BuildKit', () => {
  it('runs RUN --mount=type=cache and type=tmpfs, honouring target and args', async () => {
    const { dir, ref } = image(
      `FROM ${TEST_IMAGE} AS base
ARG FLAVOUR=plain
RUN --mount=type=cache,target=/cache echo "$FLAVOUR" >> /cache/runs && cp /cache/runs /runs
RUN --mount=type=tmpfs,target=/scratch echo tmp > /scratch/x && cat /scratch/x > /from-tmpfs
RUN --mount=type=bind,source=hello.txt,target=/mnt/hello.txt cp /mnt/hello.txt /hello
FROM base AS prod
RUN echo prod > /stage
FROM base AS dev
RUN echo dev > /stage
`,
      ', target: prod, args: {FLAVOUR: spicy}',
    );
    const result = await apply(dir);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    expect(await run(ref, 'cat', '/stage', '/from-tmpfs', '/hello')).toBe('prod\ntmp\nhello');
    expect(await run(ref, 'cat', '/runs')).toMatch(/spicy$/);
    // The tmpfs and the bind were mounts for that step only: no file of them is in the image.
    expect(await run(ref, 'find', '/scratch', '/mnt', '/cache', '-type', 'f')).toBe('');
  });

  it('never pulls a # syntax= frontend: the engine built-in frontend builds the Dockerfile', async () => {
    const { dir, ref } = image(
      `# syntax=docker/dockerfile:1.4\nFROM ${TEST_IMAGE}\nRUN --mount=type=cache,target=/c echo built > /built\n`,
      ', args: {BUILDKIT_SYNTAX: "docker/dockerfile:1.4"}',
    );
    const result = await apply(dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // Without this, the engine would pull docker/dockerfile:1.4 from Docker Hub: unreachable here.
    expect(await run(ref, 'cat', '/built')).toBe('built');
  });

  it('fails with the last 20 lines of the build output', async () => {
    const { dir } = image(
      `FROM ${TEST_IMAGE}\nRUN for i in $(seq 1 30); do echo line-$i; done; exit 7\n`,
    );
    const result = await apply(dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/cannot build .*exit code: 7/);
    const shown = result.stdout.match(/^line-\d+$/gm) ?? [];
    expect(shown).toEqual(Array.from({ length: 20 }, (_, i) => `line-${i + 11}`));
  });

  it('says why a heredoc or COPY --link fails where the engine’s frontend lacks them', async () => {
    for (const step of ['RUN <<EOF\necho hi > /hi\nEOF', 'COPY --link hello.txt /hi']) {
      const { dir, ref } = image(`FROM ${TEST_IMAGE}\n${step}\n`);
      const result = await apply(dir);
      // A newer engine's built-in frontend (Dockerfile syntax 1.4+) builds them as they are.
      if (result.code === 0) expect(await run(ref, 'cat', '/hi')).toMatch(/hi/);
      else
        expect(result.stdout).toMatch(
          /(a heredoc|COPY --link) needs Dockerfile syntax 1\.4.*"# syntax=" line would pull/,
        );
    }
  });

  it('hands declared build secrets (file, env) to RUN --mount=type=secret, and never prints them', async () => {
    const canary = `canary-${project}-file`;
    const fromEnv = `canary-${project}-env`;
    // BuildKit's cache key leaves secret values out: the project name keeps the step uncached.
    const { dir, ref } = image(
      `FROM ${TEST_IMAGE}
RUN --mount=type=secret,id=token,required=true --mount=type=secret,id=api,required=true echo ${project} && sha256sum /run/secrets/token /run/secrets/api > /sums && test ! -e /run/secrets/token.copy
`,
      ', secrets: [{id: token, file: ./token.txt}, {id: api, env: BK_API_KEY}]',
    );
    writeFileSync(join(dir, 'token.txt'), canary);
    // Through the built CLI (dist/), as users run it: bundled, @grpc/grpc-js loaded otherwise
    // than from source, and every build with secrets failed there (F102).
    const result = await berthProcess(['apply', '-f', dir, '-p', project], {
      env: { ...env, BK_API_KEY: fromEnv },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(await run(ref, 'cat', '/sums')).toBe(
      `${sha(canary)}  /run/secrets/token\n${sha(fromEnv)}  /run/secrets/api`,
    );
    // The values are in no output, no image label, no layer, no record.
    const seen = [
      result.stdout,
      result.stderr,
      await docker('image', 'inspect', ref),
      await docker('history', '--no-trunc', ref),
      await run(ref, 'sh', '-c', 'cat /sums; ls -R / 2>/dev/null | grep -c secrets || true'),
      readdirSync(state, { recursive: true, encoding: 'utf8' })
        .map((f) => join(state, f))
        .filter((f) => statSync(f).isFile())
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
    ].join('\n');
    expect(seen).not.toContain(canary);
    expect(seen).not.toContain(fromEnv);
  });

  it('hides a build secret a failing step printed, in the last lines and the log (F621)', async () => {
    const canary = `canary-${project}-printed`;
    const { dir } = image(
      `FROM ${TEST_IMAGE}\nRUN --mount=type=secret,id=token echo ${project} printed $(cat /run/secrets/token); exit 5\n`,
      ', secrets: [{id: token, file: ./token.txt}]',
    );
    writeFileSync(join(dir, 'token.txt'), canary);
    const result = await berthProcess(['apply', '-f', dir, '-p', project, '--log-level', 'debug'], {
      env,
    });
    expect(result.code).toBe(2);
    // The step's output is there, its secret hidden: the quote is real, not left out.
    expect(result.stdout).toContain(`${project} printed ***`);
    expect(result.stdout + result.stderr).not.toContain(canary);
  });

  it('explains a secret mount whose id the Image does not declare', async () => {
    for (const flags of ['', ',required']) {
      const { dir } = image(
        `FROM ${TEST_IMAGE}\nRUN --mount=type=secret,id=token${flags} cat /run/secrets/token || true\n`,
      );
      const result = await apply(dir);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(
        /cannot build .*a RUN --mount=type=secret needs its id declared under the Image's build\.secrets/,
      );
    }
  });
});
