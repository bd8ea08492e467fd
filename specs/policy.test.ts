import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, hostPathViolation } from './policy.js';

describe('hostPathViolation', () => {
  it.each([
    '/',
    '/etc',
    '/etc/passwd',
    '/proc/1',
    '/sys',
    '/dev/sda',
    '/boot/x',
    '/var/run/docker.sock',
    '/run/docker.sock',
    '/etc/',
  ])('refuses %s by default', (path) => {
    expect(hostPathViolation(path, DEFAULT_POLICY)).toMatch(/policy/);
  });

  it('refuses a folder that contains a forbidden path', () => {
    expect(hostPathViolation('/var/run', DEFAULT_POLICY)).toMatch(
      /contains \/var\/run\/docker.sock/,
    );
  });

  it.each(['/srv/site', '/home/me/etc', '/etcetera', '/tmp/proc', '/opt'])('allows %s', (path) => {
    expect(hostPathViolation(path, DEFAULT_POLICY)).toBeUndefined();
  });

  it('follows the policy it is given', () => {
    expect(
      hostPathViolation('/etc', { forbiddenHostPaths: [], allowPrivileged: false }),
    ).toBeUndefined();
    expect(
      hostPathViolation('/srv/x', { forbiddenHostPaths: ['/srv'], allowPrivileged: false }),
    ).toMatch(/beneath/);
  });
});
