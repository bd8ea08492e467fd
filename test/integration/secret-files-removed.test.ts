import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * FINDINGS F123, on the real engine: berth's copy of a Secret for a container (under
 * `<state>/berth/<project>/files/<container>/`) goes when that container goes — a replica
 * scaled away, a container pruned, one recreated for a new value — and `berth down` leaves
 * no files folder for the project.
 */
const project = uniqueProject('secfiles');
const work = mkdtempSync(join(tmpdir(), 'berth-secfiles-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const files = join(work, 'state', 'berth', project, 'files');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const sleeper = (name: string, extra: string) => `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
  mounts: [{secret: pw}]
${extra}`;

function write(password: string, replicas: number, withJob: boolean): void {
  writeFileSync(join(work, 'pw.txt'), password);
  const secret =
    'apiVersion: berth/v1\nkind: Secret\nmetadata: {name: pw}\nspec: {file: ./pw.txt}\n';
  const job = withJob ? `---\n${sleeper('job', '')}` : '';
  writeFileSync(
    join(work, 'app.yaml'),
    `${secret}---\n${sleeper('web', `  replicas: ${replicas}\n`)}${job}`,
  );
}

const apply = async () => {
  const run = await berth(['apply', '-f', join(work, 'app.yaml'), '-p', project, '--prune'], {
    env,
  });
  expect(run.code, run.stderr + run.stdout).toBe(0);
};
const folders = () => (existsSync(files) ? readdirSync(files).sort() : []);
const inFolder = (name: string) => readdirSync(join(files, name));

describe('the copies of a Secret berth writes for its containers', () => {
  it('go with the container that mounts them, and with the project', async () => {
    write('pw-one', 3, true);
    await apply();
    expect(folders()).toEqual(['job', 'web-1', 'web-2', 'web-3']);
    const first = inFolder('web-1');

    // Scaled from 3 to 2, and `job` no longer declared (pruned).
    write('pw-one', 2, false);
    await apply();
    expect(folders()).toEqual(['web-1', 'web-2']);

    // A new value recreates the replicas: each keeps only the file it mounts now.
    write('pw-two', 2, false);
    await apply();
    expect(await docker('exec', `${project}-web-1`, 'cat', '/run/secrets/pw')).toBe('pw-two');
    expect(inFolder('web-1')).toHaveLength(1);
    expect(inFolder('web-1')).not.toEqual(first);

    const down = await berth(['down', '-p', project], { env });
    expect(down.code, down.stderr + down.stdout).toBe(0);
    expect(existsSync(files)).toBe(false);
  }, 180_000);
});
