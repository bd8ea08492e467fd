import { describe, expect, it } from 'vitest';
import { formatStatus } from '../cli/views/format-status.js';
import { brokenSourceStatus, unreadSourceStatus, warnedSourceStatus } from './broken-source.js';
import { sampleStatus } from './testing/sample-status.js';

/** F29: a broken file of the watched source makes status not in sync, naming file:line:col. */

const inSync = () => {
  const s = sampleStatus();
  const objects = s.objects.map((o) => ({ ...o, inSync: true, conflict: null }));
  return { ...s, objects, conflicts: [], outOfSync: 0, inSync: true, notice: null };
};

describe('status of a broken source', () => {
  it('is not in sync, and the notice leads with each problem at its position', () => {
    const problems = ['/m/web.yaml:3:7: unknown field "imge" [E_SCHEMA]'];
    const status = brokenSourceStatus({ ...inSync(), notice: 'kept' }, problems);
    expect(status.inSync).toBe(false);
    expect(status.notice).toBe(
      'the source cannot be read: /m/web.yaml:3:7: unknown field "imge" [E_SCHEMA]; kept',
    );
    const text = formatStatus(status, { wide: true, color: false });
    expect(text).toMatch(/^In sync: {6}no \(see Notice\)$/m);
    expect(text).toMatch(/^Notice: .*\/m\/web\.yaml:3:7: /m);
  });

  it('names the first three problems and counts the rest; none changes nothing', () => {
    const problems = ['a:1:1: x [E]', 'b:1:1: x [E]', 'c:1:1: x [E]', 'd:1:1: x [E]'];
    expect(brokenSourceStatus(inSync(), problems).notice).toBe(
      'the source cannot be read: a:1:1: x [E]; b:1:1: x [E]; c:1:1: x [E]; and 1 more',
    );
    const fine = inSync();
    expect(brokenSourceStatus(fine, [])).toBe(fine);
  });
});

describe('status of a git source never read', () => {
  const git = (revision: string | null, ready: 'True' | 'False' | 'Unknown') => ({
    kind: 'git' as const,
    url: 'file:///srv/repo',
    ref: 'main',
    path: 'deploy',
    revision,
    head: revision,
    conditions: [
      {
        type: 'SourceReady' as const,
        status: ready,
        reason: ready === 'False' ? 'CheckFailed' : 'Checked',
        message: ready === 'False' ? '/srv/repo is not a git repository' : 'ok',
        lastSuccess: null,
        lastError: null,
        consecutiveFailures: ready === 'False' ? 2 : 0,
      },
    ],
  });

  it('is not in sync, saying why, while no revision was ever read', () => {
    const status = unreadSourceStatus({ ...inSync(), source: git(null, 'False') });
    expect(status.inSync).toBe(false);
    expect(status.notice).toBe(
      'the git source has not been read: /srv/repo is not a git repository',
    );
  });

  it('keeps the status of a source that gave a revision, or has not been checked yet', () => {
    const failingLater = { ...inSync(), source: git('abc', 'False') };
    expect(unreadSourceStatus(failingLater)).toBe(failingLater);
    const pending = { ...inSync(), source: git(null, 'Unknown') };
    expect(unreadSourceStatus(pending)).toBe(pending);
  });
});

describe('status of a source that reads with warnings (F291)', () => {
  it('keeps its verdict and names the first three warnings after the notice', () => {
    const warning =
      '/m/web.yaml:7:5: warning: Container "web": spec.envFiles[0] /m/app.env:1:10: variable U is not set: it is left blank';
    const status = warnedSourceStatus({ ...inSync(), notice: 'kept' }, [warning]);
    expect(status.inSync).toBe(true);
    expect(status.notice).toBe(`kept; warnings in the manifests: ${warning}`);
    const many = [
      'a:1:1: warning: x',
      'b:1:1: warning: x',
      'c:1:1: warning: x',
      'd:1:1: warning: x',
    ];
    expect(warnedSourceStatus(inSync(), many).notice).toBe(
      'warnings in the manifests: a:1:1: warning: x; b:1:1: warning: x; c:1:1: warning: x; and 1 more',
    );
    expect(warnedSourceStatus(inSync(), [])).toEqual(inSync());
  });
});
