import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { startRegistry, type Registry } from '../support/registry.js';

/**
 * `berth push` (DESIGN.md "New verbs", issue 13) against real registries on loopback: an
 * open one and one behind basic auth. The images are built by `berth apply`, pushed from
 * the last applied set, and read back from the registry's own API.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-push-'));
const project = uniqueProject('push');
const PASSWORD = 'push-s3cret-value';
const env = { XDG_STATE_HOME: join(work, 'state'), DOCKER_CONFIG: join(work, 'no-config') };
let open: Registry;
let guarded: Registry;
let app = '';
let locked = '';

function manifests(dir: string, images: Record<string, string>): string {
  mkdirSync(join(dir, 'ctx'), { recursive: true });
  writeFileSync(
    join(dir, 'ctx', 'Dockerfile'),
    `FROM ${TEST_IMAGE}\nRUN echo ${project} > /built\n`,
  );
  const docs = Object.entries(images).map(
    ([name, ref]) =>
      `apiVersion: berth/v1\nkind: Image\nmetadata: {name: ${name}}\nspec: {ref: "${ref}", build: {context: ./ctx}}\n`,
  );
  docs.push(
    `apiVersion: berth/v1\nkind: Image\nmetadata: {name: base}\nspec: {ref: "${TEST_IMAGE}", pullPolicy: Never}\n`,
  );
  writeFileSync(join(dir, 'images.yaml'), docs.join('---\n'));
  return dir;
}

/** The registry's answer for one repository: its tags and the digest of one tag. */
async function registryHolds(
  registry: Registry,
  ref: string,
  tag: string,
  auth?: string,
): Promise<{ tags: string[]; digest: string | null }> {
  const repo = ref.slice(registry.host.length + 1, ref.lastIndexOf(':'));
  const headers: Record<string, string> = {
    Accept: 'application/vnd.docker.distribution.manifest.v2+json',
    ...(auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}),
  };
  const list = await fetch(`http://${registry.host}/v2/${repo}/tags/list`, { headers });
  const tags = list.ok ? ((await list.json()) as { tags: string[] }).tags : [];
  const manifest = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers,
  });
  return { tags, digest: manifest.headers.get('docker-content-digest') };
}

function configDir(contents: object): string {
  const dir = mkdtempSync(join(work, 'config-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(contents));
  return dir;
}

beforeAll(async () => {
  [open, guarded] = await Promise.all([
    startRegistry(join(work, 'open')),
    startRegistry(join(work, 'guarded'), PASSWORD),
  ]);
  app = `${open.host}/berth/${project}:1`;
  locked = `${guarded.host}/berth/${project}:1`;
  const dir = manifests(join(work, 'app'), { app, locked });
  const applied = await berth(['apply', '-f', dir, '-p', project], { env });
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
}, 180_000);

afterAll(async () => {
  await cleanupProject(project);
  open?.stop();
  guarded?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('berth push', () => {
  it('pushes a built image of the last apply to an open registry, and --tag adds a tag', async () => {
    const pushed = await berth(['push', 'app', '-p', project, '--tag', 'v2'], { env });
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    const lines = pushed.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^Image/app: pushed ${app} \\(sha256:[0-9a-f]{64}\\)$`)),
      expect.stringMatching(/^Image\/app: pushed .*:v2 \(sha256:[0-9a-f]{64}\)$/),
    ]);
    const held = await registryHolds(open, app, '1');
    expect(held.tags.sort()).toEqual(['1', 'v2']);
    // The digest berth reports is the one the registry serves for the tag.
    expect(lines[0]).toContain(held.digest!);
  });

  it('is refused by a guarded registry without credentials, naming why, and pushes with them', async () => {
    const refused = await berth(['push', 'locked', '-p', project], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`cannot push ${locked}: unauthorized`));
    expect((await registryHolds(guarded, locked, '1', `user:${PASSWORD}`)).tags).toEqual([]);

    const auth = Buffer.from(`user:${PASSWORD}`).toString('base64');
    const DOCKER_CONFIG = configDir({ auths: { [guarded.host]: { auth } } });
    const pushed = await berth(['push', 'locked', '-p', project], {
      env: { ...env, DOCKER_CONFIG },
    });
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout + pushed.stderr).not.toContain(PASSWORD);
    expect((await registryHolds(guarded, locked, '1', `user:${PASSWORD}`)).tags).toEqual(['1']);
  });

  it('without names pushes every built image and no pulled one; one not built fails with exit 2', async () => {
    const fresh = `${open.host}/berth/${project}-fresh:1`;
    const dir = manifests(join(work, 'fresh'), { app, fresh });
    const result = await berth(['push', '-f', dir, '-p', project], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(new RegExp(`^Image/app: pushed ${app} `));
    expect(result.stdout).not.toContain(TEST_IMAGE);
    expect(result.stderr).toContain(`error: Image/fresh: cannot push ${fresh}: not built yet`);
    expect(result.stderr).toContain('hint: build it with berth apply first');
    expect((await registryHolds(open, fresh, '1')).tags).toEqual([]);
  });

  it('with -f, refuses to push a local image the files do not declare the build of, until it is built (F158)', async () => {
    const dir = manifests(join(work, 'changed'), { app });
    writeFileSync(join(dir, 'ctx', 'msg.txt'), 'two\n');
    const before = (await registryHolds(open, app, '1')).digest;
    const refused = await berth(['push', 'app', '-f', dir, '-p', project, '--tag', 'f158'], {
      env,
    });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      new RegExp(
        `^error: Image/app: cannot push ${app}: the local image \\(sha256:[0-9a-f]{12}\\) was not built from the build ${dir} declares \\(its context, Dockerfile or args differ; berth plan shows the build\\)\nhint: berth apply -f ${dir} builds it; push again after that\n$`,
      ),
    );
    expect((await registryHolds(open, app, '1')).digest).toBe(before);
    expect((await registryHolds(open, app, 'f158')).tags).not.toContain('f158');
    const applied = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const pushed = await berth(['push', 'app', '-f', dir, '-p', project], { env });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect((await registryHolds(open, app, '1')).digest).not.toBe(before);
  });

  it('refuses an unknown name and a pulled image before pushing anything (exit 1)', async () => {
    const unknown = await berth(['push', 'nope', '-p', project], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no Image nope declared in project ${project}`);
    const pulled = await berth(['push', 'base', 'app', '-p', project], { env });
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toContain('Image base is pulled, not built');
    expect(pulled.stdout).toBe('');
  });
});
