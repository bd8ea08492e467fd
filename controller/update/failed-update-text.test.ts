import { describe, expect, it } from 'vitest';
import { failedUpdateText } from './failed-update-text.js';

const rolledBack = (old?: {
  state: 'running' | 'restarting' | 'exited';
  health: 'healthy' | 'unhealthy' | 'none';
}) => ({ outcome: 'rolled-back', reason: 'r', failedAt: 'gate', ...(old ? { old } : {}) }) as const;

describe('failedUpdateText (F540: say what is true of the old container)', () => {
  it('says the old container keeps running only when it runs', () => {
    expect(
      failedUpdateText(rolledBack({ state: 'running', health: 'healthy' }), 'start-first'),
    ).toBe('update rolled back: the old container keeps running');
    expect(failedUpdateText(rolledBack(), 'start-first')).toBe(
      'update rolled back: the old container keeps running',
    );
  });
  it('names a crash-looping or unhealthy old container as left as it was', () => {
    expect(
      failedUpdateText(rolledBack({ state: 'restarting', health: 'unhealthy' }), 'start-first'),
    ).toBe('update rolled back: the old container is left as it was (restarting)');
    expect(
      failedUpdateText(rolledBack({ state: 'running', health: 'unhealthy' }), 'start-first'),
    ).toBe('update rolled back: the old container is left as it was (running, unhealthy)');
  });
  it('keeps the stop-first and pause wording', () => {
    expect(failedUpdateText(rolledBack(), 'stop-first')).toMatch(
      /stopped for the update and started again/,
    );
    expect(
      failedUpdateText({ outcome: 'paused', reason: 'r', failedAt: 'gate' }, 'start-first'),
    ).toMatch(/^update paused/);
  });
});
