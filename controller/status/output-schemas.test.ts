import { describe, expect, it } from 'vitest';
import { KINDS } from '../../specs/model.js';
import type { ApplyOutcome } from '../records/record-types.js';
import { describeOutput } from './describe-model.js';
import { historyOutput } from '../cli/views/format-history.js';
import { sortKeys } from '../cli/views/sort-keys.js';
import { containerObject } from './testing/fixtures.js';
import { outputSchemaErrors } from './testing/output-schemas.js';
import { LAST_APPLY, sampleStatus } from './testing/sample-status.js';

// What the commands print is sortKeys(value) through JSON; validate exactly that.
const asPrinted = (value: unknown) => JSON.parse(JSON.stringify(sortKeys(value))) as unknown;

describe('JSON output schemas', () => {
  it('status output validates', () => {
    expect(outputSchemaErrors('status', asPrinted(sampleStatus()))).toEqual([]);
  });

  it('get output validates', () => {
    expect(outputSchemaErrors('get', asPrinted({ items: sampleStatus().objects }))).toEqual([]);
  });

  it('describe output validates, declared or not', () => {
    const objects = sampleStatus().objects;
    const api = objects.find((o) => o.name === 'api')!;
    const old = objects.find((o) => o.name === 'old')!;
    expect(
      outputSchemaErrors(
        'describe',
        asPrinted(describeOutput(api, containerObject('api'), [LAST_APPLY], [])),
      ),
    ).toEqual([]);
    expect(
      outputSchemaErrors('describe', asPrinted(describeOutput(old, undefined, [], []))),
    ).toEqual([]);
  });

  it('history output validates', () => {
    expect(
      outputSchemaErrors(
        'history',
        asPrinted(
          historyOutput([
            LAST_APPLY,
            { ...LAST_APPLY, commit: undefined, outcome: 'interrupted' },
            { ...LAST_APPLY, repeats: { count: 3, lastTime: LAST_APPLY.time + 60_000 } },
            {
              ...LAST_APPLY,
              outcome: 'failed',
              steps: [
                { key: 'Container/api', action: 'create', cause: 'spec changed' },
                { key: 'Container/api', action: 'update', cause: 'gate', failed: true },
              ],
            },
            {
              ...LAST_APPLY,
              objects: [containerObject('api')],
              images: [{ ref: 'local/api:1', id: 'sha256:ab', digest: null, built: true }],
            },
          ]),
        ),
      ),
    ).toEqual([]);
  });

  it("history keeps each failed object's one-line reason (F561)", () => {
    const [failed, converged] = historyOutput([
      {
        ...LAST_APPLY,
        outcome: 'failed',
        steps: [
          { key: 'Container/api', action: 'create', cause: 'spec changed' },
          {
            key: 'Container/api',
            action: 'update',
            cause: 'update rolled back:\n  the new container is unhealthy',
            failed: true,
            code: 'E_CONVERGE',
          },
          { key: 'Network/back', action: 'create', cause: 'refused', failed: true },
        ],
      },
      LAST_APPLY,
    ]);
    expect(failed?.failures).toEqual([
      {
        key: 'Container/api',
        action: 'update',
        code: 'E_CONVERGE',
        reason: 'update rolled back: the new container is unhealthy',
      },
      { key: 'Network/back', action: 'create', code: 'E_CONVERGE', reason: 'refused' },
    ]);
    expect(converged?.failures).toEqual([]);
  });

  it('every kind, and every outcome an apply records, validates (F157)', () => {
    const status = sampleStatus();
    const [first] = status.objects;
    const objects = KINDS.map((kind) => ({ ...first!, kind, key: `${kind}/x`, name: 'x' }));
    const outcomes: ApplyOutcome[] = ['converged', 'failed', 'invalid', 'interrupted'];
    for (const outcome of outcomes) {
      const value = { ...status, objects, lastApply: { ...status.lastApply!, outcome } };
      expect(outputSchemaErrors('status', asPrinted(value)), outcome).toEqual([]);
    }
    expect(outputSchemaErrors('get', asPrinted({ items: objects }))).toEqual([]);
  });

  it('rejects output that breaks the contract', () => {
    const status = asPrinted(sampleStatus()) as Record<string, unknown>;
    expect(outputSchemaErrors('status', { ...status, inSync: 'yes' })).not.toEqual([]);
    const { objects: _objects, ...withoutObjects } = status;
    expect(outputSchemaErrors('status', withoutObjects)).not.toEqual([]);
    expect(outputSchemaErrors('status', { ...status, extra: 1 })).not.toEqual([]);
  });
});
