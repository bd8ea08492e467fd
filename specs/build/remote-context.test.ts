import { describe, expect, it } from 'vitest';
import { isRemoteContext, remoteContentHash, remoteContextProblem } from './remote-context.js';

describe('remote build contexts', () => {
  it.each([
    'https://github.com/docker/awesome-compose.git#master:nginx-golang/backend',
    'http://127.0.0.1:8080/repo.git',
    'git://127.0.0.1:9418/app.git#main:web',
    'ssh://git@example.com/team/app.git',
    'git@github.com:owner/repo.git#v1.2',
    'github.com/owner/repo',
    'https://example.com/context.tar.gz',
  ])('takes %s as a remote context the engine can fetch', (url) => {
    expect(isRemoteContext(url)).toBe(true);
    expect(remoteContextProblem(url)).toBeUndefined();
  });

  it.each(['.', './app', '/srv/app', '../web', 'github.company/app', 'git-repo'])(
    'takes %s as a folder',
    (path) => expect(isRemoteContext(path)).toBe(false),
  );

  it.each([
    ['git@github.com', /write git@HOST:PATH/],
    ['github.com/owner', /names no repository/],
    ['https://', /not a URL|names no host/],
    ['https://example.com/', /names no repository or file/],
    ['https://example.com/a repo.git', /white space/],
    ['docker-image://busybox', /not from docker-image:\/\//],
  ])('refuses %s', (url, message) => {
    expect(isRemoteContext(url)).toBe(true);
    expect(remoteContextProblem(url)).toMatch(message);
  });

  it('hashes the URL with its ref and the Dockerfile, not the args (build-key.ts)', () => {
    const base = remoteContentHash('git://h/r.git#main', 'Dockerfile');
    expect(remoteContentHash('git://h/r.git#main', 'Dockerfile')).toBe(base);
    expect(remoteContentHash('git://h/r.git#v2', 'Dockerfile')).not.toBe(base);
    expect(remoteContentHash('git://h/r.git#main', 'web.Dockerfile')).not.toBe(base);
  });
});
