import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { resolveManifestPath } from './paths.js';

describe('resolveManifestPath', () => {
  it('expands ~ and ~/ to the home folder, as Compose does', () => {
    expect(resolveManifestPath('/srv/app', '~', '/home/ann')).toBe('/home/ann');
    expect(resolveManifestPath('/srv/app', '~/cache', '/home/ann')).toBe('/home/ann/cache');
    expect(resolveManifestPath('/srv/app', '~/', '/home/ann')).toBe('/home/ann');
  });

  it('leaves ~user and names that merely start with ~ relative, like Compose', () => {
    expect(resolveManifestPath('/srv/app', '~bob/x', '/home/ann')).toBe('/srv/app/~bob/x');
    expect(resolveManifestPath('/srv/app', './~', '/home/ann')).toBe('/srv/app/~');
    expect(resolveManifestPath('/srv/app', '/abs/../data', '/home/ann')).toBe('/data');
  });

  it('gives a BindMount of ~/cache a host path under HOME', async () => {
    const stdin =
      'apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: cache}\nspec: {hostPath: "~/cache"}\n';
    const { set, problems } = await loadManifests(['-'], { stdin, cwd: '/srv/app' });
    expect(problems).toEqual([]);
    const [mount] = set.objects;
    expect(mount?.kind === 'BindMount' && mount.spec.hostPath).toMatch(/^\/(?!srv\/app).*\/cache$/);
  });
});
