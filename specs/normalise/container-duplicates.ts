import type { ContainerSpec } from '../model.js';
import type { ValuePath } from '../parse/locate.js';
import type * as Raw from '../types.generated.js';
import type { NormaliseContext } from './context.js';
import { cleanContainerPath } from './paths.js';

// One container path, one mount; one network, one attachment (F461). The engine refuses two
// mounts at one target only at create ("Duplicate mount point"), after the project's volumes
// and networks were made, and keeps one attachment per network (a second entry and its
// aliases are lost without a word). Compose refuses both. Reported at the second entry,
// naming the first.

/**
 * Two of the container's mounts (bind, volume, tmpfs, secret or config, the last two at their
 * default target when none is written) at one container path, compared as the engine compares
 * them (Go's filepath.Clean: `/data/` is `/data`).
 */
export function checkDuplicateMounts(
  raw: Raw.ContainerSpec['mounts'],
  spec: ContainerSpec,
  ctx: NormaliseContext,
): void {
  const first = new Map<string, number>();
  spec.mounts.forEach((mount, index) => {
    const target = cleanContainerPath(mount.target);
    const earlier = first.get(target);
    if (earlier === undefined) {
      first.set(target, index);
      return;
    }
    const written = targetPath(raw?.[index], index);
    const implied = written.length === 3 ? ' (its default target)' : '';
    const at = ctx.locate(targetPath(raw?.[earlier], earlier));
    ctx.report(
      'E_DUPLICATE_MOUNT',
      written,
      `${target}${implied} is already mounted by spec.mounts[${earlier}] (line ${at.line}); the engine takes one mount per container path`,
    );
  });
}

/** Where a mount's container path is written: its target (tmpfs: the path), else the entry. */
function targetPath(
  mount: NonNullable<Raw.ContainerSpec['mounts']>[number] | undefined,
  index: number,
): ValuePath {
  if (mount !== undefined && 'tmpfs' in mount) return ['spec', 'mounts', index, 'tmpfs'];
  if (mount !== undefined && 'target' in mount && mount.target !== undefined)
    return ['spec', 'mounts', index, 'target'];
  return ['spec', 'mounts', index];
}

/** One network in `spec.networks` twice: one entry takes every alias and address. */
export function checkDuplicateNetworks(
  raw: Raw.ContainerSpec['networks'],
  spec: ContainerSpec,
  ctx: NormaliseContext,
): void {
  const first = new Map<string, number>();
  spec.networks.forEach(({ network }, index) => {
    const earlier = first.get(network);
    if (earlier === undefined) {
      first.set(network, index);
      return;
    }
    const at = ctx.locate(networkPath(raw?.[earlier], earlier));
    ctx.report(
      'E_DUPLICATE_NETWORK',
      networkPath(raw?.[index], index),
      `${network} is already listed by spec.networks[${earlier}] (line ${at.line}); give one entry all its aliases and addresses`,
    );
  });
}

function networkPath(
  entry: NonNullable<Raw.ContainerSpec['networks']>[number] | undefined,
  index: number,
): ValuePath {
  return typeof entry === 'object'
    ? ['spec', 'networks', index, 'network']
    : ['spec', 'networks', index];
}
