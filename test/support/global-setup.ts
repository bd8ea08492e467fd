import { execFileSync } from 'node:child_process';

/**
 * Engine tests need a running engine and the local base image. `scripts/setup.sh` provides
 * both; this only makes sure the image is there when tests are run straight after a
 * `docker image prune`. It never starts an engine: a missing one is the set-up's job and
 * engine tests fail loudly without it.
 */
export default function setup(): void {
  // CLI tests run the bundle; build it so it is never stale (esbuild takes about a second).
  execFileSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' });
  } catch {
    process.stderr.write(
      'global-setup: no engine answers; engine tests will fail (run scripts/setup.sh)\n',
    );
    return;
  }
  execFileSync('bash', ['scripts/build-test-image.sh'], { stdio: 'inherit' });
}
