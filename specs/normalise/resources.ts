import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BindMountSpec, ImageSpec, NetworkSpec, VolumeSpec } from '../model.js';
import type * as Raw from '../types.generated.js';
import { buildContentHash } from '../build/context.js';
import { rememberValue } from '../file-values.js';
import { hostPathViolation } from '../policy.js';
import { cidrContains, parseCIDR, parseIP } from '../validate/values.js';
import { stringMap } from './context.js';
import { resolveManifestPath } from './paths.js';
import type { NormaliseContext } from './context.js';

/** Image: defaults, absolute build context, and the build's content hash. */
export async function normaliseImage(
  raw: Raw.ImageSpec,
  ctx: NormaliseContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ImageSpec> {
  const spec: ImageSpec = { ref: raw.ref, pullPolicy: raw.pullPolicy ?? 'IfNotPresent' };
  if (!raw.build) return spec;
  const context = resolveManifestPath(ctx.baseDir, raw.build.context);
  const dockerfile = raw.build.dockerfile ?? 'Dockerfile';
  const args = stringMap(raw.build.args);
  try {
    await access(join(context, dockerfile));
  } catch {
    ctx.report(
      'E_IO',
      ['spec', 'build', raw.build.dockerfile ? 'dockerfile' : 'context'],
      `has no ${dockerfile} (looked in ${context})`,
    );
    return spec;
  }
  const contentHash = await buildContentHash(context, dockerfile, args);
  spec.build = { context, dockerfile, args, contentHash };
  if (raw.build.target !== undefined) spec.build.target = raw.build.target;
  if (raw.build.secrets?.length)
    spec.build.secrets = await buildSecrets(raw.build.secrets, ctx, env);
  return spec;
}

/**
 * `build.secrets`: each value read now (a missing file or an unset variable is
 * E_SECRET_SOURCE at its entry), kept in memory by digest; the value never enters a message.
 */
async function buildSecrets(
  raw: NonNullable<NonNullable<Raw.ImageSpec['build']>['secrets']>,
  ctx: NormaliseContext,
  env: NodeJS.ProcessEnv,
): Promise<{ id: string; digest: string }[]> {
  return Promise.all(
    raw.map(async (secret, index) => {
      const at = ['spec', 'build', 'secrets', index];
      let bytes: Buffer | undefined;
      if (secret.file !== undefined) {
        const file = resolveManifestPath(ctx.baseDir, secret.file);
        bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
          ctx.report('E_SECRET_SOURCE', [...at, 'file'], `cannot be read: ${file} (${e.code})`);
          return undefined;
        });
      } else if (secret.env !== undefined) {
        const value = env[secret.env];
        if (value === undefined)
          ctx.report(
            'E_SECRET_SOURCE',
            [...at, 'env'],
            `names ${secret.env}, which is not set in berth's environment`,
          );
        bytes = Buffer.from(value ?? '', 'utf8');
      }
      return { id: secret.id, digest: bytes ? rememberValue(bytes) : '' };
    }),
  );
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
  if (raw?.ipam) {
    checkIpam(raw.ipam, ctx);
    spec.ipam = {};
    if (raw.ipam.subnet !== undefined) spec.ipam.subnet = raw.ipam.subnet;
    if (raw.ipam.gateway !== undefined) spec.ipam.gateway = raw.ipam.gateway;
  }
  return spec;
}

function checkIpam(ipam: { subnet?: string; gateway?: string }, ctx: NormaliseContext): void {
  const subnet = ipam.subnet === undefined ? undefined : parseCIDR(ipam.subnet);
  if (typeof subnet === 'string') ctx.report('E_CIDR', ['spec', 'ipam', 'subnet'], subnet);
  if (ipam.gateway === undefined) return;
  const gateway = parseIP(ipam.gateway);
  const at = ['spec', 'ipam', 'gateway'];
  if (!gateway) ctx.report('E_CIDR', at, `"${ipam.gateway}" is not an IP address`);
  else if (subnet === undefined) ctx.report('E_CIDR', at, 'needs a subnet beside it');
  else if (typeof subnet !== 'string' && !cidrContains(subnet, gateway)) {
    ctx.report('E_CIDR', at, `${ipam.gateway} is not inside the subnet ${ipam.subnet}`);
  }
}

/** BindMount: an absolute host path that the policy allows. */
export function normaliseBindMount(raw: Raw.BindMountSpec, ctx: NormaliseContext): BindMountSpec {
  const hostPath = resolveManifestPath(ctx.hostBaseDir, raw.hostPath);
  const violation = hostPathViolation(hostPath, ctx.policy);
  if (violation) ctx.report('E_POLICY', ['spec', 'hostPath'], violation);
  return { hostPath, type: raw.type ?? 'DirectoryOrCreate' };
}

export function normaliseVolume(raw: Raw.VolumeSpec | undefined): VolumeSpec {
  return {
    driver: raw?.driver ?? 'local',
    options: stringMap(raw?.options),
    retain: raw?.retain ?? true,
  };
}
