import { describe, expect, it } from 'vitest';
import { importAndLoad } from '../../test/support/compose-imported.js';

/** Compose's retry counts as berth's restartMaxRetries (F602), checked by validate. */
async function imported(service: string[]) {
  const compose = [
    'services:',
    '  w:',
    '    image: busybox:1',
    ...service.map((l) => `    ${l}`),
    '',
  ];
  const { result, loaded } = await importAndLoad(compose.join('\n'));
  const spec = loaded.set.objects.find((o) => o.kind === 'Container')?.spec as
    Record<string, unknown> | undefined;
  return {
    losses: result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`),
    problems: loaded.problems.map((p) => p.message),
    restartPolicy: spec?.restartPolicy,
    restartMaxRetries: spec?.restartMaxRetries,
  };
}

describe('berth import: restart retry counts', () => {
  it('restart: on-failure:N is OnFailure with restartMaxRetries N, without a loss', async () => {
    expect(await imported(['restart: on-failure:2'])).toEqual({
      losses: [],
      problems: [],
      restartPolicy: 'OnFailure',
      restartMaxRetries: 2,
    });
  });

  it('deploy.restart_policy max_attempts with condition on-failure is carried the same way', async () => {
    const got = await imported([
      'deploy: {restart_policy: {condition: on-failure, max_attempts: 4, delay: 5s}}',
    ]);
    expect(got).toMatchObject({ restartPolicy: 'OnFailure', restartMaxRetries: 4, problems: [] });
    expect(got.losses).toEqual([
      '4:71 services.w.deploy.restart_policy.delay: berth restarts with its own back-off',
    ]);
  });

  it('max_attempts under another condition stays a loss (the engine counts only on-failure)', async () => {
    const got = await imported(['deploy: {restart_policy: {condition: any, max_attempts: 4}}']);
    expect(got.restartMaxRetries).toBeUndefined();
    expect(got.losses).toEqual([
      '4:47 services.w.deploy.restart_policy.max_attempts: berth restarts with its own back-off',
    ]);
  });
});
