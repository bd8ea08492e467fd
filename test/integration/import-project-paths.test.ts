import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * Imported into a folder beside the Compose project and applied on the engine, as a new user
 * does (`berth import -o ../out`, `berth apply -f ../out`):
 * - F190: a bind source held in a variable with a relative value (`${UPLOAD_LOCATION}`,
 *   `.env` `UPLOAD_LOCATION=./library`) mounts the Compose folder's library, not an empty one
 *   beside the manifests;
 * - F176: `backend/.env` and the project `.env` stay distinct: the container gets its own;
 * - F186: a worker that runs the image another service builds runs that build (never pulled:
 *   the ref's registry does not exist).
 */

const root = mkdtempSync(join(tmpdir(), 'berth-import-paths-'));
const dir = join(root, 'proj');
const out = join(root, 'out');
const project = uniqueProject('imppaths');
const ref = `localhost:1/${project}-app:1`;
const env = { XDG_STATE_HOME: join(root, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  await docker('image', 'rm', '-f', ref).catch(() => '');
  rmSync(root, { recursive: true, force: true });
});

const files: Record<string, string> = {
  'compose.yaml': [
    'services:',
    '  web:',
    `    build: ./img`,
    `    image: ${ref}`,
    '    init: true',
    '    command: [sleep, "3600"]',
    '    env_file: ./backend/.env',
    '    volumes: ["${UPLOAD_LOCATION}:/upload"]',
    '  worker:',
    `    image: ${ref}`,
    '    init: true',
    '    command: [sleep, "3600"]',
    '',
  ].join('\n'),
  '.env': 'UPLOAD_LOCATION=./library\nTOP=1\n',
  'backend/.env': 'DATABASE_URL=postgres://db/app\n',
  'library/photo.jpg': 'jpeg',
  'img/Dockerfile': `FROM ${TEST_IMAGE}\nRUN echo built > /built\n`,
};
for (const [name, text] of Object.entries(files)) {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
}

describe('an imported project applied from another folder (F190, F176, F186)', () => {
  it('mounts the Compose folder, gives each container its own env file and runs the built image', async () => {
    const imported = await berth(['import', '-o', '../out', '-p', project], { cwd: dir, env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(readdirSync(out).sort()).toContain('backend.env');
    const applied = await berth(['apply', '-f', out, '-p', project], { cwd: root, env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const mounts = JSON.parse(
      await docker('inspect', '-f', '{{json .Mounts}}', `${project}-web`),
    ) as { Source: string; Destination: string }[];
    expect(mounts.find((m) => m.Destination === '/upload')?.Source).toBe(join(dir, 'library'));
    expect(await docker('exec', `${project}-web`, 'ls', '/upload')).toContain('photo.jpg');
    const envOf = async (name: string) =>
      JSON.parse(await docker('inspect', '-f', '{{json .Config.Env}}', name)) as string[];
    expect(await envOf(`${project}-web`)).toContain('DATABASE_URL=postgres://db/app');
    const imageOf = (name: string) => docker('inspect', '-f', '{{.Image}}', name);
    expect(await imageOf(`${project}-worker`)).toBe(await imageOf(`${project}-web`));
    expect(await docker('exec', `${project}-worker`, 'cat', '/built')).toContain('built');
  });
});
