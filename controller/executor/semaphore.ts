/** Bounds how many operations run at once. Waiting for a dependency holds no slot. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Runs `work` in a slot. `work` may give its slot back early with `leave()` (idempotent)
   * when what is left of it only waits (a start held to see it stay up, F341): the next
   * operation runs meanwhile.
   */
  async run<T>(work: (leave: () => void) => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    let held = true;
    const leave = () => {
      if (!held) return;
      held = false;
      this.active--;
      this.queue.shift()?.();
    };
    try {
      return await work(leave);
    } finally {
      leave();
    }
  }
}
