import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LEFTOVER_NETWORKS } from './docker.js';
import { HOST_TMPDIR_ENV, testEngine } from './engine.js';
import { RUN_PODMAN_DIR_ENV, startPodman } from './podman.js';

/**
 * Engine tests need a running engine and the local base image. `scripts/setup.sh` provides
 * both; this only makes sure the image is there when tests are run straight after a
 * `docker image prune`. It never starts Docker: a missing one is the set-up's job and
 * engine tests fail loudly without it.
 *
 * `BERTH_TEST_ENGINE=podman`: after that, a private Podman service is started for the run
 * (test/support/podman.ts: its own socket, storage and configuration under /tmp, the test
 * image loaded from the engine above) and `DOCKER_HOST` points at it for every test file,
 * so berth, the docker CLI of the assertions and the engine proxies all talk to Podman.
 * Test files that start a Podman service of their own (test/podman) get this one. The
 * teardown removes everything in it and stops it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const engine = testEngine();
  const runTmp = runTempDir();
  const leftovers = join(runTmp, basename(LEFTOVER_NETWORKS));
  const teardown = async () => {
    await removeLeftoverNetworks(leftovers);
    rmSync(runTmp, { recursive: true, force: true });
  };
  // CLI tests run the bundle; build it so it is never stale (esbuild takes about a second).
  execFileSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' });
  } catch {
    process.stderr.write(
      'global-setup: no engine answers; engine tests will fail (run scripts/setup.sh)\n',
    );
    return teardown;
  }
  execFileSync('bash', ['scripts/build-test-image.sh'], { stdio: 'inherit' });
  if (engine !== 'podman') return teardown;
  const podman = await startPodman();
  process.env.DOCKER_HOST = podman.host;
  // test/podman files use this service too: a second one may not run beside it (podman.ts).
  process.env[RUN_PODMAN_DIR_ENV] = podman.dir;
  process.stderr.write(`global-setup: BERTH_TEST_ENGINE=podman: DOCKER_HOST=${podman.host}\n`);
  return async () => {
    await podman.stop();
    await teardown();
  };
}

/**
 * One folder for every temporary file and folder of this run: TMPDIR points at it for the
 * test files (os.tmpdir() reads it) and every berth they spawn, and the teardown removes it.
 * Tests that did not remove their own folders (after a failure, or never) left hundreds of
 * `berth-*` folders in /tmp per run.
 */
function runTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-run-'));
  // Engines a test starts get the original back (engine.ts engineProcessEnv).
  // Once per run: each vitest project runs this set-up, the second inside the first's folder.
  process.env[HOST_TMPDIR_ENV] ??= process.env.TMPDIR ?? '';
  process.env.TMPDIR = dir;
  return dir;
}

/**
 * Teardown: the networks a test's clean-up had to leave (the engine still reported an
 * endpoint of a removed container) are removed now, retrying for up to a minute; tests
 * leave no engine object behind. A network still refused is named on stderr.
 */
async function removeLeftoverNetworks(file: string): Promise<void> {
  if (!existsSync(file)) return;
  const ids = new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean));
  rmSync(file, { force: true });
  for (let attempt = 0; ids.size > 0 && attempt < 20; attempt++) {
    for (const id of [...ids]) {
      try {
        execFileSync('docker', ['network', 'rm', id], { stdio: 'ignore' });
        ids.delete(id);
      } catch {
        // Gone already, or still held: `network inspect` tells which.
        try {
          execFileSync('docker', ['network', 'inspect', id], { stdio: 'ignore' });
        } catch {
          ids.delete(id);
        }
      }
    }
    if (ids.size) await new Promise((r) => setTimeout(r, 3_000));
  }
  for (const id of ids) process.stderr.write(`global teardown: network ${id} is still left\n`);
}
