import { describe, expect, it } from 'vitest';
import { observedContainer } from '../status/testing/fixtures.js';
import { recoverySteps } from './recovery-steps.js';

const project = 'shop';
const steps = (...containers: ReturnType<typeof observedContainer>[]) =>
  recoverySteps(containers, project).map(
    (s) => `${s.action} ${s.id.slice(0, 4)}${s.to ? ` → ${s.to}` : ''}`,
  );

describe('recoverySteps: a start-first update cut short', () => {
  const old = (state: 'running' | 'exited') =>
    observedContainer(project, 'web', { id: 'old0', state });
  const next = (state: 'running' | 'exited') =>
    observedContainer(project, 'web', { id: 'new0', name: 'shop-web-next', state });

  it('during its gate (the old one runs): removes -next, the old one serves on', () => {
    expect(steps(old('running'), next('running'))).toEqual(['remove new0']);
  });

  it('during its cut-over (the old one stopped, -next runs): finishes it (F169)', () => {
    expect(steps(old('exited'), next('running'))).toEqual([
      'remove old0',
      'rename new0 → shop-web',
    ]);
  });

  it('with both stopped: removes -next, as nothing passed', () => {
    expect(steps(old('exited'), next('exited'))).toEqual(['remove new0']);
  });

  it('after the old one was removed: renames -next', () => {
    expect(steps(next('running'))).toEqual(['rename new0 → shop-web']);
  });
});
