/** Upper bounds (seconds) of the reconcile-duration histogram. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The controller's counters, rendered as Prometheus text (`GET /metrics`). Plain numbers
 * the controller bumps; nothing here reads a clock or the engine.
 */
export class WatchMetrics {
  /** Reconciles per key outcome: converged, held, failed, skipped, deferred. */
  readonly reconciles = new Map<string, number>();
  private readonly bucketCounts = DURATION_BUCKETS.map(() => 0);
  private durationSum = 0;
  private durationCount = 0;
  driftRepairs = 0;
  restarts = 0;
  resyncs = 0;
  /** Resyncs that skipped planning: the engine's answers were those of the last idle one. */
  resyncsUnchanged = 0;
  engineReconnects = 0;
  /** Unix ms of the last moment every declared object was found in sync. */
  lastSuccessfulSync: number | undefined;
  /**
   * The engines that did not answer their last call, by Docker context (`''`: the engine
   * berth watch runs against), each with why. A watch over a set spanning contexts has one
   * engine per context; one that is away fails only its own objects.
   */
  readonly unreachable = new Map<string, string>();

  constructor(private readonly queueDepth: () => number) {}

  /** Every engine answered its last call. */
  get engineReachable(): boolean {
    return this.unreachable.size === 0;
  }

  /** Notes whether the engine of `context` (undefined: berth's own) answered; `why` when not. */
  noteReachable(context: string | undefined, up: boolean, why = 'not reachable'): void {
    if (up) this.unreachable.delete(context ?? '');
    else this.unreachable.set(context ?? '', why);
  }

  countReconcile(outcome: string, durationMs: number): void {
    this.reconciles.set(outcome, (this.reconciles.get(outcome) ?? 0) + 1);
    const seconds = durationMs / 1000;
    DURATION_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.bucketCounts[i] = (this.bucketCounts[i] ?? 0) + 1;
    });
    this.durationSum += seconds;
    this.durationCount += 1;
  }

  render(): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const outcomes = [...this.reconciles.entries()].sort(([a], [b]) => a.localeCompare(b));
    metric(
      'berth_reconciles_total',
      'counter',
      'Reconciles of one object, by outcome.',
      outcomes.map(([o, n]) => [`{outcome="${o}"}`, n]),
    );
    metric('berth_reconcile_duration_seconds', 'histogram', 'Duration of reconcile batches.', [
      ...DURATION_BUCKETS.map((le, i): [string, number] => [
        `_bucket{le="${le}"}`,
        this.bucketCounts[i] ?? 0,
      ]),
      ['_bucket{le="+Inf"}', this.durationCount] as [string, number],
      ['_sum', round(this.durationSum)] as [string, number],
      ['_count', this.durationCount] as [string, number],
    ]);
    metric('berth_queue_depth', 'gauge', 'Keys queued or waiting in back-off.', [
      ['', this.queueDepth()],
    ]);
    metric(
      'berth_drift_repairs_total',
      'counter',
      'Objects brought back after a change made outside berth.',
      [['', this.driftRepairs]],
    );
    metric(
      'berth_container_restarts_total',
      'counter',
      'Containers berth restarted (exited or unhealthy).',
      [['', this.restarts]],
    );
    metric('berth_resyncs_total', 'counter', 'Full resyncs (timer, reconnect, start).', [
      ['', this.resyncs],
    ]);
    metric(
      'berth_resyncs_unchanged_total',
      'counter',
      'Resyncs that planned nothing: the engine answered as at the last idle resync.',
      [['', this.resyncsUnchanged]],
    );
    metric('berth_engine_reconnects_total', 'counter', 'Times the event stream was opened again.', [
      ['', this.engineReconnects],
    ]);
    metric(
      'berth_last_successful_sync_timestamp_seconds',
      'gauge',
      'When every declared object was last in sync.',
      [['', this.lastSuccessfulSync === undefined ? 0 : round(this.lastSuccessfulSync / 1000)]],
    );
    metric('berth_engine_reachable', 'gauge', '1 when every engine answered its last call.', [
      ['', this.engineReachable ? 1 : 0],
    ]);
    return lines.join('\n') + '\n';
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
