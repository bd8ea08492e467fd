import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ContainerObject, DesiredObject, FileMount } from '../../specs/model.js';

/**
 * Secrets and Configs on the host: one file per container mount under
 * `<stateDir>/<project>/files/<container>/`, bind-mounted read-only. The file carries the
 * mount's mode and owner (uid/gid, default root) so that the container's user can read it
 * exactly as declared; its folders are 0700. The name holds the value's digest, so a
 * changed value is a new file (the running container keeps the old one until berth
 * recreates it; the digest is in the container's spec hash).
 */

/** `$XDG_STATE_HOME/berth` of this process (the CLI passes its own state dir instead). */
export function defaultFilesDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'berth');
}

/** The host folder of the project's secret and config files (one folder per container). */
export function filesFolder(stateDir: string, project: string): string {
  return join(stateDir, project, 'files');
}

/** The host folder of one container's secret and config files. */
export function containerFolder(stateDir: string, project: string, container: string): string {
  return join(filesFolder(stateDir, project), container);
}

/** The digest of the Secret/Config value a mount refers to ('' when it is not declared). */
export function digestOfMount(mount: FileMount, desired: readonly DesiredObject[]): string {
  const kind = mount.type === 'secret' ? 'Secret' : 'Config';
  const object = desired.find((o) => o.kind === kind && o.name === mount.name);
  return object?.kind === kind ? object.spec.digest : '';
}

function fileName(mount: FileMount, index: number, digest: string): string {
  return `${index}-${mount.type}-${mount.name}-${digest.replace(/^sha256:/, '')}`;
}

/** Whether a file name under a container's folder is one of a Secret's mounts (fileName). */
export function isSecretFileName(name: string): boolean {
  return /^\d+-secret-[a-z0-9-]+-[0-9a-f]{16}$/.test(name);
}

/** Where the file for one of the container's secret/config mounts lives on the host. */
export function fileMountPath(
  stateDir: string,
  project: string,
  container: ContainerObject,
  mount: FileMount,
  desired: readonly DesiredObject[],
): string {
  const index = container.spec.mounts.indexOf(mount);
  const name = fileName(mount, index, digestOfMount(mount, desired));
  return join(containerFolder(stateDir, project, container.name), name);
}
