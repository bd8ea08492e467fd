import { afterAll, beforeAll } from 'vitest';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import { conformanceSuite } from '../support/conformance-suite.js';
import { PODMAN_START_TIMEOUT, startPodman, type PodmanService } from '../support/podman.js';

/**
 * The engine conformance suite against a real Podman 4.3 service (its Docker-compatible API
 * on its own socket, test/support/podman.ts): every difference ENGINE-NOTES.md lists under
 * "Podman" is the adapter's to handle, so the same answers hold here as on Docker.
 */

let service: PodmanService;
beforeAll(async () => {
  service = await startPodman();
}, PODMAN_START_TIMEOUT);
afterAll(async () => {
  await service?.stop();
});

conformanceSuite({
  name: 'podman',
  make: () => createDockerEngine(resolveEngineAddress(service.host, {})),
  exitWith: async (_engine, id, code) => {
    // The exec ends its own container: Podman may lose the exec session as PID 1 dies
    // ("no exec session with ID … found"); the container's exit is what the suite checks.
    await service
      .podman('exec', id, 'sh', '-c', `echo ${code} > /tmp/exit-code; kill 1`)
      .catch((e: Error) => {
        if (!/no such exec session|no exec session/.test(e.message)) throw e;
      });
  },
  exec: (id, ...cmd) => service.podman('exec', id, ...cmd),
  removeNetworkOutside: async (_engine, name) => void (await service.podman('network', 'rm', name)),
  // Not the Docker suite's subnet (10.213.71): both suites may run at once on this host.
  subnet: '10.213.72',
});
