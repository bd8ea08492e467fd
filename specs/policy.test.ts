import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, hostPathViolation, policyFor } from './policy.js';

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

  describe('links (F88)', () => {
    const links: Record<string, string> = {
      '/srv/app/etclink': '/etc',
      '/srv/app/engine.sock': '/run/docker.sock',
      '/var/run/docker.sock': '/run/docker.sock',
      '/etc/localtime': '/usr/share/zoneinfo/UTC',
    };
    const resolve = (p: string) => links[p] ?? p;

    it('holds the path a link reaches to the same rules', () => {
      expect(hostPathViolation('/srv/app/etclink', DEFAULT_POLICY, resolve)).toBe(
        '/srv/app/etclink is a link to /etc: /etc may not be mounted (forbidden by policy)',
      );
      expect(hostPathViolation('/srv/app/engine.sock', DEFAULT_POLICY, resolve)).toMatch(
        /is a link to \/run\/docker.sock/,
      );
      expect(hostPathViolation('/srv/app/site', DEFAULT_POLICY, resolve)).toBeUndefined();
    });

    it('an opened link opens its target itself, written as the link', () => {
      const policy = policyFor('baseline', ['/var/run/docker.sock']);
      expect(hostPathViolation('/var/run/docker.sock', policy, resolve)).toBeUndefined();
      // Written as the target, it is not what was opened.
      expect(hostPathViolation('/run/docker.sock', policy, resolve)).toMatch(/may not be mounted/);
      const localtime = policyFor('baseline', ['/etc/localtime']);
      expect(hostPathViolation('/etc/localtime', localtime, resolve)).toBeUndefined();
    });

    it('an opened folder that became a link opens nothing beneath its target (F105)', () => {
      const policy = policyFor('baseline', ['/srv/app/etclink']);
      const deep = (p: string) =>
        p.startsWith('/srv/app/etclink') ? p.replace('/srv/app/etclink', '/etc') : p;
      expect(hostPathViolation('/srv/app/etclink/shadow', policy, deep)).toBe(
        '/srv/app/etclink/shadow is a link to /etc/shadow: /etc/shadow lies beneath /etc, which may not be mounted (forbidden by policy)',
      );
    });

    it('a link beneath an opened path is refused when what it reaches is not opened', () => {
      const policy = policyFor('baseline', ['/srv/app']);
      expect(hostPathViolation('/srv/app/etclink', policy, resolve)).toMatch(/is a link to \/etc/);
    });
  });
});
