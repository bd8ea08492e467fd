import { posix } from 'node:path';

/** What a manifest may ask of the host. The CLI may widen it; the defaults keep the host safe. */
export interface Policy {
  /** Absolute host paths that may not be bind-mounted, nor anything beneath them ('/' means only '/'). */
  forbiddenHostPaths: string[];
  /** Whether `privileged: true` is allowed. */
  allowPrivileged: boolean;
}

export const DEFAULT_POLICY: Policy = {
  forbiddenHostPaths: [
    '/',
    '/var/run/docker.sock',
    '/run/docker.sock',
    '/proc',
    '/sys',
    '/dev',
    '/etc',
    '/boot',
  ],
  allowPrivileged: false,
};

/**
 * Why a host path is refused, or undefined when it is allowed. A path is refused when
 * it is a forbidden path, lies beneath one, or contains one (mounting `/var/run` would
 * hand out the engine socket just as surely as mounting the socket itself).
 */
export function hostPathViolation(hostPath: string, policy: Policy): string | undefined {
  const path = posix.normalize(hostPath).replace(/(.)\/+$/, '$1');
  for (const forbidden of policy.forbiddenHostPaths) {
    const rule = posix.normalize(forbidden).replace(/(.)\/+$/, '$1');
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
