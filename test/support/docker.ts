import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The local base image built by scripts/build-test-image.sh. */
export const TEST_IMAGE = process.env.BERTH_TEST_IMAGE ?? 'localhost/berth-busybox:1';

/** A project name no other test uses, so parallel test files never see each other's objects. */
export function uniqueProject(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Runs the docker CLI; resolves with trimmed stdout, rejects with stderr in the message. */
export async function docker(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`docker ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
  }
}

/**
 * Removes every engine object labelled with this project (containers, networks, volumes,
 * images). Tests call it in afterAll/afterEach so the engine is left as it was found.
 */
export async function cleanupProject(project: string): Promise<void> {
  const filter = `label=berth.project=${project}`;
  const ids = (cmd: string[]) =>
    docker(...cmd).then(
      (out) => out.split('\n').filter(Boolean),
      () => [] as string[],
    );
  const containers = await ids(['ps', '-aq', '--filter', filter]);
  if (containers.length) await docker('rm', '-f', '-v', ...containers).catch(() => undefined);
  const networks = await ids(['network', 'ls', '-q', '--filter', filter]);
  // Right after its containers go, a network can still report active endpoints (moby#42119).
  for (const n of networks) {
    for (let attempt = 0; attempt < 10; attempt++) {
      if (
        await docker('network', 'rm', n).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
  const volumes = await ids(['volume', 'ls', '-q', '--filter', filter]);
  if (volumes.length) await docker('volume', 'rm', '-f', ...volumes).catch(() => undefined);
  const images = await ids(['images', '-q', '--filter', filter]);
  if (images.length) await docker('rmi', '-f', ...new Set(images)).catch(() => undefined);
}

/** Synchronous variant for process exit handlers. */
export function engineAvailable(): boolean {
  try {
    execFileSync('docker', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
