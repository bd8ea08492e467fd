import type { BindMountSpec, ImageSpec, NetworkSpec, VolumeSpec } from '../model.js';
import { refuseHostPath } from './host-path.js';
import { imageRefProblem } from '../validate/image-ref.js';
import type * as Raw from '../types.generated.js';
import { isBindVolume } from '../volume-options.js';
import { normaliseIpamEntry } from './network-ipam.js';
import { stringMap } from './context.js';
import { resolveManifestPath } from './paths.js';
import type { NormaliseContext } from './context.js';
import { normaliseBuild } from './image-build.js';

/** Image: defaults, and the build (its context, Dockerfile and content hash) when it has one. */
export async function normaliseImage(
  raw: Raw.ImageSpec,
  ctx: NormaliseContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ImageSpec> {
  const spec: ImageSpec = { ref: raw.ref, pullPolicy: raw.pullPolicy ?? 'IfNotPresent' };
  const why = imageRefProblem(raw.ref);
  if (why)
    ctx.report('E_IMAGE_REF', ['spec', 'ref'], `"${raw.ref}" is not an image reference: ${why}`);
  const build = raw.build && (await normaliseBuild(raw.build, ctx, env));
  if (build) spec.build = build;
  return spec;
}

/**
 * The engine's own `host` and `none` networks exist once each: a second cannot be created
 * ("only one instance of host network is allowed"), and a container joins them only through
 * its network mode, never by `network connect`. Compose users write `network_mode` for this.
 */
const MODE_NETWORKS = new Set(['host', 'none']);

/** Network: defaults, a driver the engine can create, a subnet/gateway that make sense together. */
export function normaliseNetwork(
  raw: Raw.NetworkSpec | undefined,
  ctx: NormaliseContext,
  objectName = '',
): NetworkSpec {
  const externalName = raw?.name ?? objectName;
  if (raw?.driver !== undefined && MODE_NETWORKS.has(raw.driver) && raw.external !== true)
    ctx.report(
      'E_NETWORK_DRIVER',
      ['spec', 'driver'],
      `${raw.driver}: the engine has exactly one ${raw.driver} network and creates no other; ` +
        `give the containers networkMode: ${raw.driver} instead`,
    );
  if (raw?.external === true && MODE_NETWORKS.has(externalName))
    ctx.report(
      'E_NETWORK_DRIVER',
      ['spec', raw.name === undefined ? 'external' : 'name'],
      `${externalName}: a container joins the engine's ${externalName} network only through its ` +
        `network mode; give the containers networkMode: ${externalName} instead`,
    );
  const spec: NetworkSpec = {
    driver: raw?.driver ?? 'bridge',
    internal: raw?.internal ?? false,
    attachable: raw?.attachable ?? false,
    options: stringMap(raw?.options),
  };
  if (raw?.enableIPv6) spec.enableIPv6 = true;
  if (raw?.ipam) {
    // A single entry stays `ipam` (so the spec hash of a network written before lists is kept).
    const entries = Array.isArray(raw.ipam) ? raw.ipam : [raw.ipam];
    const at = (i: number) => (Array.isArray(raw.ipam) ? ['spec', 'ipam', i] : ['spec', 'ipam']);
    const written = entries.map((entry, i) => normaliseIpamEntry(entry, at(i), ctx));
    spec.ipam = written[0];
    if (written.length > 1) spec.ipamMore = written.slice(1);
  }
  return spec;
}

/** BindMount: an absolute host path that the policy allows. */
export function normaliseBindMount(raw: Raw.BindMountSpec, ctx: NormaliseContext): BindMountSpec {
  const hostPath = resolveManifestPath(ctx.hostBaseDir, raw.hostPath);
  refuseHostPath(hostPath, ['spec', 'hostPath'], ctx);
  return { hostPath, type: raw.type ?? 'DirectoryOrCreate' };
}

/**
 * Volume. A local volume with `o: bind` is a host folder under a volume's name (Compose's
 * `driver_opts: {type: none, o: bind, device: ./data}`): its `device` is a host path, so a
 * relative one resolves against the manifest's folder, as a BindMount's `hostPath` does (the
 * engine would take it relative to its own working directory and fail the mount: F90), and
 * the policy judges it as it judges a BindMount (F91: `device: /etc` lifted the policy).
 */
export function normaliseVolume(
  raw: Raw.VolumeSpec | undefined,
  ctx: NormaliseContext,
): VolumeSpec {
  const driver = raw?.driver ?? 'local';
  const options = stringMap(raw?.options);
  if (driver === 'local' && isBindVolume(options) && options.device) {
    const device = resolveManifestPath(ctx.hostBaseDir, options.device);
    refuseHostPath(device, ['spec', 'options', 'device'], ctx);
    options.device = device;
  } else if (driver === 'local' && !ctx.policy.allowHostAccess) checkLocalMount(options, ctx);
  return { driver, options, retain: raw?.retain ?? true };
}

/** File systems a local volume may mount under baseline: memory and network ones. */
const GUEST_FILE_SYSTEMS = new Set(['tmpfs', 'ramfs', 'nfs', 'nfs4', 'cifs', 'smb3']);

/**
 * A local volume that is not a bind mounts `device` as file system `type` on the engine's host:
 * a disk (`type: ext4, device: /dev/vda` is the host's root file system) or an overlay of host
 * folders (`lowerdir=/etc`) hands the host out as surely as a bind of `/` (F100). Under
 * baseline only memory and network file systems are allowed (tmpfs, nfs, cifs…), and a device
 * that is a host path is judged as one; `--policy privileged` allows any.
 */
function checkLocalMount(options: Record<string, string>, ctx: NormaliseContext): void {
  const type = options.type;
  if (type !== undefined && type !== 'none' && !GUEST_FILE_SYSTEMS.has(type)) {
    ctx.report(
      'E_POLICY',
      ['spec', 'options', 'type'],
      `mounts a file system of the engine's host (type ${type}), which the policy forbids (allowed under --policy privileged)`,
    );
    return;
  }
  const device = options.device;
  if (device?.startsWith('/') && type !== 'nfs' && type !== 'nfs4') {
    refuseHostPath(device, ['spec', 'options', 'device'], ctx);
  }
}
