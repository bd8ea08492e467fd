import type { EngineLimits } from '../../../specs/engine-fields.js';

/**
 * What Podman's Docker-compatible API drops or refuses of a declared set (F165), as
 * seen on Podman 4.3.1 (test/podman/RESULTS.md; newer Podmans not checked). Each of these
 * was applied as converged with the field missing, or failed at create after the networks
 * and volumes were made; berth now refuses the set before any change, as it does for a
 * field the engine's API version cannot carry. Not listed, because the effect holds: a
 * privileged container's `devices` (inspect reads them back empty, but privileged gives the
 * container every device); a build from a URL (its compatible `/build` ignores `remote`, so
 * the adapter sends those to libpod's: docker-podman-build.ts, F167).
 */
export function podmanLimits(version: string): EngineLimits {
  return {
    engine: `Podman ${version}`,
    cannotCarry: [
      {
        field: 'mounts[].uid/gid of a tmpfs',
        why: 'its tmpfs takes only size, mode and mount flags ("unknown mount option uid")',
      },
      {
        field: 'domainname',
        why: "it leaves the container's domain name unset (and refuses the kernel.domainname sysctl)",
      },
      { field: 'gpus', why: 'it ignores DeviceRequests' },
      {
        field: 'ports[]: a host port range onto one container port',
        why: 'it takes one host port per binding ("strconv.Atoi: parsing 8000-8010")',
      },
      {
        field: 'logging.options.max-file',
        why: 'it keeps one log file (only max-size is honoured)',
      },
    ],
  };
}
