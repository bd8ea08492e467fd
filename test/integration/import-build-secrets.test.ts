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
import { importValidateApply } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * Compose `build.secrets` imported as the Image's build secrets: applied on the real engine,
 * `RUN --mount=type=secret` sees the file and environment values under their ids, and
 * neither value appears in any output of import, validate or apply, in the written
 * manifests, the image or berth's records.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-bs-'));
const state = join(work, 'state');
const project = uniqueProject('impbs');
const ref = `localhost/${project}-app:1`;
afterAll(async () => {
  await cleanupProject(project);
  await docker('image', 'rm', '-f', ref).catch(() => '');
  rmSync(work, { recursive: true, force: true });
});

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

describe('import of Compose build secrets', () => {
  it('hands build.secrets (file, environment; target as id) to RUN --mount=type=secret and prints them nowhere', async () => {
    const fromFile = `canary-${project}-file`;
    const fromEnv = `canary-${project}-env`;
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'token.txt'), fromFile);
    // The project name keeps the step out of BuildKit's cache (its key leaves secrets out).
    writeFileSync(
      join(app, 'Dockerfile'),
      `FROM ${TEST_IMAGE}
RUN --mount=type=secret,id=npm_token,required=true --mount=type=secret,id=api,required=true echo ${project} && sha256sum /run/secrets/npm_token /run/secrets/api > /sums
`,
    );
    writeFileSync(
      join(app, 'compose.yaml'),
      `services:
  app:
    image: ${ref}
    build:
      context: .
      secrets:
        - source: npm
          target: npm_token
        - api
    command: [sleep, "300"]
secrets:
  npm:
    file: ./token.txt
  api:
    environment: BS_API_KEY
`,
    );
    const env = { XDG_STATE_HOME: state, BS_API_KEY: fromEnv };
    const { imported, valid, applied } = await importValidateApply(app, project, env);
    expect(await docker('run', '--rm', ref, 'cat', '/sums')).toBe(
      `${sha(fromFile)}  /run/secrets/npm_token\n${sha(fromEnv)}  /run/secrets/api`,
    );
    const seen = [
      imported.stdout,
      imported.stderr,
      valid.stdout,
      valid.stderr,
      applied.stdout,
      applied.stderr,
      filesUnder(join(app, 'out')),
      filesUnder(state),
      await docker('image', 'inspect', ref),
      await docker('history', '--no-trunc', ref),
      await docker('inspect', `${project}-app`),
    ].join('\n');
    expect(seen).not.toContain(fromFile);
    expect(seen).not.toContain(fromEnv);
  });
});
