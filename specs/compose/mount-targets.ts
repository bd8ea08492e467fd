import { cleanContainerPath } from '../normalise/paths.js';
import { isRecord, whereKey } from './located.js';
import { splitVolume } from './normalise.js';
import { text } from './values.js';
import type { Report } from './value-checks.js';

/** One container path of a service, where it is written. */
interface Written {
  tree: unknown;
  key: number;
  path: string;
  target: string;
}

/**
 * Two mounts of one service at one container path (`volumes:`, `tmpfs:`, `secrets:` and
 * `configs:` together, compared as the engine compares them): the engine refuses the
 * container ("Duplicate mount point") when compose creates it, and berth validate refuses the
 * manifest import would write (F461). Reported at the second, naming the first. A target
 * holding a `${…}` is left to berth validate, after interpolation.
 */
export function checkMountTargets(
  service: string,
  svc: Record<string, unknown>,
  report: Report,
): void {
  const first = new Map<string, Written>();
  for (const written of containerPaths(service, svc)) {
    if (written.target.includes('$')) continue;
    const target = cleanContainerPath(written.target);
    const earlier = first.get(target);
    if (!earlier) {
      first.set(target, written);
      continue;
    }
    const line = whereKey(earlier.tree, earlier.key)?.line;
    report(
      written.tree,
      written.key,
      'E_DUPLICATE_MOUNT',
      `${written.path}: ${target} is already mounted by ${earlier.path}${line ? ` (line ${line})` : ''}; the engine refuses a duplicate mount point`,
    );
  }
}

/** The service's mount targets in the order import writes its mounts. */
function containerPaths(service: string, svc: Record<string, unknown>): Written[] {
  const out: Written[] = [];
  const each = (key: string, target: (entry: unknown) => string | undefined): void => {
    const list = svc[key];
    if (!Array.isArray(list)) return;
    list.forEach((entry, i) => {
      const written = target(entry);
      if (written)
        out.push({ tree: list, key: i, path: `services.${service}.${key}[${i}]`, target: written });
    });
  };
  each('volumes', (entry) => {
    if (typeof entry === 'string') {
      const parts = splitVolume(entry);
      return parts.length === 1 ? entry : parts[1];
    }
    return isRecord(entry) && typeof entry.target === 'string' ? entry.target : undefined;
  });
  each('tmpfs', (entry) => String(entry).split(':')[0]);
  for (const [key, kind] of [
    ['secrets', 'Secret'],
    ['configs', 'Config'],
  ] as const)
    each(key, (entry) => {
      const long = isRecord(entry) ? entry : { source: entry };
      return fileTarget(kind, text(long.source), long.target);
    });
  return out;
}

/**
 * A secret or config mount's container path, with Compose's defaults: `/run/secrets/NAME` and
 * `/NAME`; a relative target is under /run/secrets (secret) or / (config), as Compose reads it.
 */
export function fileTarget(kind: 'Secret' | 'Config', source: string, target: unknown): string {
  const written = typeof target === 'string' && target !== '' ? target : undefined;
  const dir = kind === 'Secret' ? '/run/secrets/' : '/';
  if (!written) return `${dir}${source}`;
  return written.startsWith('/') ? written : `${dir}${written}`;
}
