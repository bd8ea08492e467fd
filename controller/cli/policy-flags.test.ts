import { describe, expect, it } from 'vitest';
import { hostPathViolation } from '../../specs/index.js';
import { policyFromFlags } from './policy-flags.js';

describe('policyFromFlags', () => {
  const stateDir = '/root/.local/state/berth';

  it("forbids berth's own state directory under baseline, and any folder holding it (F153)", () => {
    const policy = policyFromFlags({}, '/srv', { stateDir });
    expect(hostPathViolation(stateDir, policy)).toMatch(/forbidden by policy/);
    expect(hostPathViolation(`${stateDir}/shop/files`, policy)).toMatch(/lies beneath/);
    expect(hostPathViolation('/root/.local', policy)).toMatch(/contains/);
    expect(hostPathViolation('/root/appdata', policy)).toBeUndefined();
  });

  it("forbids the engines' data roots and the engine's socket; privileged opens everything", () => {
    const env = { DOCKER_HOST: 'unix:///srv/engine.sock' };
    const policy = policyFromFlags({}, '/srv', { stateDir, env });
    expect(hostPathViolation('/var/lib/docker/volumes', policy)).toMatch(/lies beneath/);
    expect(hostPathViolation('/var/lib/containers', policy)).toMatch(/forbidden by policy/);
    expect(hostPathViolation('/srv/engine.sock', policy)).toMatch(/forbidden by policy/);
    const open = policyFromFlags({ policy: 'privileged' }, '/srv', { stateDir, env });
    expect(hostPathViolation(stateDir, open)).toBeUndefined();
  });

  it('lets --allow-host-path open the state directory on purpose', () => {
    const policy = policyFromFlags({ allowHostPath: [stateDir] }, '/srv', { stateDir });
    expect(hostPathViolation(stateDir, policy)).toBeUndefined();
  });
});
