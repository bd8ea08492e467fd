import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './docker.js';

export interface Registry {
  process: ChildProcess;
  /** `127.0.0.1:PORT` */
  host: string;
  dir: string;
  stop(): void;
}

/**
 * A real registry (Debian's docker-registry) on a free loopback port, storing in `dir`.
 * With `password`, it requires basic auth for user `user`. The engine treats loopback
 * registries as insecure by itself, so plain HTTP works.
 */
export async function startRegistry(dir: string, password?: string): Promise<Registry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = await freePort();
  let auth = '';
  if (password) {
    const line = execFileSync('htpasswd', ['-Bbn', 'user', password]).toString().trim();
    writeFileSync(join(dir, 'htpasswd'), line + '\n');
    auth = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  const config = `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`;
  writeFileSync(join(dir, 'config.yml'), config);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const registry: Registry = {
    process: child,
    host: `127.0.0.1:${port}`,
    dir,
    stop: () => child.kill(),
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await fetch(`http://${registry.host}/v2/`).catch(() => undefined);
    if (answer) return registry;
    if (Date.now() > deadline) throw new Error(`registry on ${registry.host} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
