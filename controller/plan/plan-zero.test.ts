import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { buildProjectStatus } from '../status/build-status.js';
import { formatPlan } from './plan-format.js';
import { SCALED_TO_ZERO } from './plan-zero.js';
import { apiAndGateway, scaleProject } from './testing/scale-fixture.js';

/** `replicas: 0` (Compose `scale: 0`): declared, none running. */

const api = apiAndGateway;

describe('replicas: 0 (memory engine)', () => {
  let fixture: ReturnType<typeof scaleProject>;
  const apply = (yaml: string) => fixture.apply(yaml);
  const names = () => fixture.names();
  const observePlan = (yaml: string) => fixture.observePlan(yaml);
  const planText = (yaml: string) => fixture.planText(yaml);

  beforeEach(() => {
    fixture = scaleProject();
  });

  it('keeps the declared object, with no instance, and its dependants wait for nothing (as Compose)', async () => {
    const desired = await desiredFrom(api(0));
    expect(desired.filter((o) => o.kind === 'Container').map((o) => o.name)).toEqual([
      'api',
      'gateway',
    ]);
    const gateway = desired.find((o) => o.name === 'gateway');
    expect(gateway?.kind === 'Container' && gateway.spec.dependsOn).toEqual([]);
  });

  it('0 → 2 creates both; 3 → 0 removes every replica; status says in sync, 0/0 ready', async () => {
    await apply(api(0));
    expect(await names()).toEqual(['p-gateway']);
    await apply(api(2));
    expect(await names()).toEqual(['p-api-1', 'p-api-2', 'p-gateway']);
    await apply(api(3));
    expect(await planText(api(0))).toBe(
      [
        '- Container/api-1  stop          not declared any more',
        '- Container/api-1  remove        not declared any more',
        '- Container/api-2  stop          not declared any more',
        '- Container/api-2  remove        not declared any more',
        '- Container/api-3  stop          not declared any more',
        '- Container/api-3  remove        not declared any more',
        'Project p: 0 to create, 0 to change, 3 to delete.',
        '',
      ].join('\n'),
    );
    await apply(api(0));
    expect(await names()).toEqual(['p-gateway']);
    const { plan, observed } = await observePlan(api(0));
    expect(formatPlan(plan)).toBe('Project p: no changes; the engine matches the manifests.\n');
    const status = buildProjectStatus({
      project: 'p',
      desired: await desiredFrom(api(0)),
      observed,
      plan,
      now: 1_700_000_000_000,
    });
    const row = status.objects.find((o) => o.key === 'Container/api');
    expect(row).toMatchObject({ desired: SCALED_TO_ZERO, observed: 'absent', inSync: true });
    expect(row?.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(status.inSync).toBe(true);
    expect(status.missing).toEqual([]);
  });

  it('1 → 0 stops and removes the single container under its own name', async () => {
    await apply(api(1));
    expect(await planText(api(0))).toBe(
      [
        '- Container/api  stop          replicas: 0',
        '- Container/api  remove        replicas: 0',
        'Project p: 0 to create, 0 to change, 1 to delete.',
        '',
      ].join('\n'),
    );
    await apply(api(0));
    expect(await names()).toEqual(['p-gateway']);
  });
});
