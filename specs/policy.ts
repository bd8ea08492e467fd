import { posix } from 'node:path';

/**
 * What a manifest may ask of the host. Chosen by whoever runs berth (`--policy`,
 * `--allow-host-path`), never by the manifests; the defaults keep the host safe.
 */
export interface Policy {
  /** Absolute host paths that may not be bind-mounted, nor anything beneath them ('/' means only '/'). */
  forbiddenHostPaths: string[];
  /** Whether `privileged: true` is allowed. */
  allowPrivileged: boolean;
  /** Whether `devices` and host namespaces (`networkMode`/`pid`/`ipc: host`) are allowed. */
  allowHostAccess?: boolean;
  /** Paths opened by `--allow-host-path`: allowed, and anything beneath them, whatever else forbids. */
  allowedHostPaths?: string[];
  /** `--policy restricted`: a non-root `user`, `capDrop: [ALL]`, no host port below 1024. */
  restricted?: boolean;
}

export const POLICY_NAMES = ['baseline', 'privileged', 'restricted'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const DEFAULT_POLICY: Policy = {
  forbiddenHostPaths: [
    '/',
    '/var/run/docker.sock',
    '/run/docker.sock',
    // Other engines' sockets where their packages put them (Podman, containerd).
    '/run/podman/podman.sock',
    '/run/containerd/containerd.sock',
    '/proc',
    '/sys',
    '/dev',
    '/etc',
    '/boot',
    // The engines' data roots: every container's config (its env), root file system and
    // volume, so as good as the socket (F153). berth's own state directory (other projects'
    // Secret copies) is added where it is known: controller/cli/policy-flags.ts.
    '/var/lib/docker',
    '/var/lib/containers',
    '/var/lib/containerd',
  ],
  allowPrivileged: false,
};

/**
 * The policy for `--policy NAME` plus `--allow-host-path PATH…` (DESIGN.md, "Policy"):
 * baseline is the "Bad input" rules; privileged allows privileged containers, devices,
 * host namespaces and any host path; restricted is baseline plus the restricted rules.
 */
export function policyFor(name: PolicyName, allowHostPaths: readonly string[] = []): Policy {
  const allowedHostPaths = allowHostPaths.map((p) => posix.normalize(p));
  if (name === 'privileged') {
    return { forbiddenHostPaths: [], allowPrivileged: true, allowHostAccess: true };
  }
  return { ...DEFAULT_POLICY, allowedHostPaths, restricted: name === 'restricted' };
}

/**
 * Why a host path is refused, or undefined when it is allowed. A path is refused when
 * it is a forbidden path, lies beneath one, or contains one (mounting `/var/run` would
 * hand out the engine socket just as surely as mounting the socket itself).
 *
 * `resolve` gives the path the engine would really reach (symbolic links followed, as the
 * engine follows them when it mounts); the resolved path is held to the same rules, so a
 * link in a manifest folder cannot lift the policy (F88: `./etclink -> /etc` mounted the
 * host's /etc under the baseline policy). A path opened by `--allow-host-path` opens what is
 * written beneath it; where it reaches through a link, it opens only its link's target itself.
 * Without `resolve`, only the written path is checked.
 */
export function hostPathViolation(
  hostPath: string,
  policy: Policy,
  resolve?: (path: string) => string,
): string | undefined {
  const path = tidy(hostPath);
  const opened = policy.allowedHostPaths ?? [];
  const written = violationOf(path, policy.forbiddenHostPaths, opened);
  if (written || !resolve) return written;
  const real = tidy(resolve(path));
  if (real === path) return undefined;
  // What an opened path reaches: beneath it when it is no link; when it is one, only its
  // target itself (`/var/run/docker.sock` → `/run/docker.sock`), never what lies beneath the
  // target, so a link put where an opened folder was (`shared -> /`) opens nothing more (F105).
  const reachedOpen = opened.map((a) => ({ path: a, real: tidy(resolve(a)) }));
  const beneath = reachedOpen.filter((a) => a.real === tidy(a.path)).map((a) => a.path);
  if (reachedOpen.some((a) => a.real === real)) return undefined;
  const reached = violationOf(real, policy.forbiddenHostPaths, beneath);
  return reached && `${path} is a link to ${real}: ${reached}`;
}

function tidy(path: string): string {
  return posix.normalize(path).replace(/(.)\/+$/, '$1');
}

function violationOf(
  path: string,
  forbiddenPaths: readonly string[],
  allowedPaths: readonly string[],
): string | undefined {
  if (allowedPaths.some((allowed) => isAtOrBeneath(path, allowed))) return undefined;
  for (const forbidden of forbiddenPaths) {
    const rule = tidy(forbidden);
    if (path === rule) return `${path} may not be mounted (forbidden by policy)`;
    if (rule !== '/' && path.startsWith(`${rule}/`)) {
      return `${path} lies beneath ${rule}, which may not be mounted (forbidden by policy)`;
    }
    if (path === '/' || rule.startsWith(`${path}/`)) {
      return `${path} contains ${rule}, which may not be mounted (forbidden by policy)`;
    }
  }
  return undefined;
}

function isAtOrBeneath(path: string, base: string): boolean {
  const rule = base.replace(/(.)\/+$/, '$1');
  return path === rule || path.startsWith(rule === '/' ? '/' : `${rule}/`);
}
