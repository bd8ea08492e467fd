import { resolve } from 'node:path';
import { policyFor, type Policy, type PolicyName } from '../../specs/index.js';

/** `--policy` and `--allow-host-path` of validate, plan, apply, up and watch. */
export interface PolicyFlags {
  policy?: string;
  allowHostPath?: string[];
}

/**
 * The policy the person running berth chose (DESIGN.md "Policy"; never the manifests):
 * baseline by default; `--allow-host-path` paths resolve against the working folder. The
 * socket of the engine berth talks to (`--engine` or `DOCKER_HOST`, `unix://PATH`) is
 * forbidden beside the well-known ones, wherever it lives (F106: a rootless Docker's or
 * Podman's socket passed the baseline), and so is berth's own state directory (`stateDir`):
 * it holds every project's Secret copies and records (F153: a manifest mounted it and read
 * another project's Secret). The one part of it a manifest may read is its own source: the
 * checkouts a `watch --git` made there (`ownSources`: the stable link and the folder it leads
 * into) hold the Secret/Config files and env
 * files its manifests name, as a folder's manifests name files beside them.
 */
export function policyFromFlags(
  flags: PolicyFlags,
  cwd: string,
  running: {
    engineFlag?: string | undefined;
    env?: NodeJS.ProcessEnv;
    stateDir?: string | undefined;
    /** The git checkouts this watch reads its manifests from (beneath `stateDir`). */
    ownSources?: readonly string[] | undefined;
  } = {},
): Policy {
  const name = (flags.policy ?? 'baseline') as PolicyName;
  const policy = policyFor(
    name,
    [...(flags.allowHostPath ?? []), ...(running.ownSources ?? [])].map((p) => resolve(cwd, p)),
  );
  if (policy.forbiddenHostPaths.length === 0) return policy;
  const address = running.engineFlag ?? running.env?.DOCKER_HOST;
  const socket = address?.startsWith('unix://') ? address.slice('unix://'.length) : undefined;
  const own = [socket, running.stateDir].filter((p): p is string => p !== undefined);
  return { ...policy, forbiddenHostPaths: [...policy.forbiddenHostPaths, ...own] };
}
