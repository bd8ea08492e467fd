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

  it('lets a git watch read its own checkout in the state directory, and nothing else there', () => {
    const checkout = `${stateDir}/git/shop/d1edfb3e5e9d0267`;
    const ownSources = [`${checkout}/current`, `${checkout}/checkouts`];
    const policy = policyFromFlags({}, '/srv', { stateDir, ownSources });
    expect(hostPathViolation(`${checkout}/current/deploy/pw.txt`, policy)).toBeUndefined();
    expect(hostPathViolation(`${checkout}/checkouts/24a9dc8/deploy/pw.txt`, policy)).toBe(
      undefined,
    );
    expect(hostPathViolation(`${stateDir}/files/other/pw`, policy)).toMatch(/lies beneath/);
    expect(hostPathViolation(`${stateDir}/git/other/0123/current/pw`, policy)).toMatch(
      /lies beneath/,
    );
  });
});
