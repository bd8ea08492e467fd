import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('lets the next operation run once a slot is left early, and counts the slot once', async () => {
    const limit = new Semaphore(1);
    const order: string[] = [];
    let endFirst!: () => void;
    const first = limit.run(async (leave) => {
      order.push('first starts');
      leave();
      leave(); // idempotent
      await new Promise<void>((resolve) => (endFirst = resolve));
      order.push('first ends');
    });
    const second = limit.run(async () => void order.push('second runs'));
    await second;
    endFirst();
    await first;
    const third = limit.run(async () => void order.push('third runs'));
    const fourth = limit.run(async () => void order.push('fourth runs'));
    await Promise.all([third, fourth]);
    expect(order).toEqual([
      'first starts',
      'second runs',
      'first ends',
      'third runs',
      'fourth runs',
    ]);
  });
});
