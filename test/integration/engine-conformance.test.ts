import { describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import { isEngineError } from '../../controller/engine/engine.js';
import { MemoryEngine } from '../../controller/engine/memory/memory-engine.js';
import { conformanceSuite, type Subject } from '../support/conformance-suite.js';
import { TEST_IMAGE, cleanupProject, docker } from '../support/docker.js';

/** The real Docker engine behind DOCKER_HOST (or the default socket). */
const dockerSubject: Subject = {
  name: 'docker',
  make: () => createDockerEngine(resolveEngineAddress()),
  exitWith: async (_engine, id, code) => {
    // The exec ends its own container: Podman (BERTH_TEST_ENGINE=podman) may lose the exec
    // session as PID 1 dies ("no exec session with ID … found"), as in test/podman.
    await docker('exec', id, 'sh', '-c', `echo ${code} > /tmp/exit-code; kill 1`).catch(
      (e: Error) => {
        if (!/no such exec session|no exec session/.test(e.message)) throw e;
      },
    );
  },
  exec: (id, ...cmd) => docker('exec', id, ...cmd),
  removeNetworkOutside: async (_engine, name) => void (await docker('network', 'rm', name)),
  cleanup: cleanupProject,
};

/** The in-memory engine, held to the same answers. */
const memorySubject: Subject = {
  name: 'memory',
  make: async () => {
    const engine = new MemoryEngine();
    engine.addImage(TEST_IMAGE);
    return engine;
  },
  exitWith: async (engine, id, code) => (engine as MemoryEngine).crash(id, code),
  removeNetworkOutside: async (engine, name) => void (await engine.removeNetwork(name)),
};

conformanceSuite(dockerSubject);
conformanceSuite(memorySubject);

describe('unreachable engine', () => {
  it('fails with E_ENGINE_UNREACHABLE naming the address', async () => {
    const engine = await createDockerEngine(resolveEngineAddress('unix:///nonexistent.sock', {}));
    const err = await engine.observe({ project: 'x' }).catch((e: unknown) => e);
    expect(isEngineError(err, 'E_ENGINE_UNREACHABLE')).toBe(true);
    expect((err as Error).message).toContain('cannot reach the engine at unix:///nonexistent.sock');
    const events = engine.subscribeEvents({}, () => undefined);
    await events.ended;
  });
});
