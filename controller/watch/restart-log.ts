import type { Logger } from '../logger.js';
import {
  readRestarts,
  withRestarts,
  writeRestarts,
  type RestartRecords,
} from '../records/restarts.js';

/**
 * The controller's count of the restarts it made, kept in memory and written through to the
 * project's records (records/restarts.ts), so `berth get`/`status`/`describe` in another
 * process, and a later controller, see them. Writes run one at a time, each with the latest
 * counts; a failed write is logged and the next restart writes again.
 */
export class RestartLog {
  private records: RestartRecords = {};
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: { stateDir: string; project: string } | undefined,
    private readonly logger?: Logger,
  ) {}

  /** Reads what earlier controllers counted (a watch restarted keeps its counts). */
  async load(): Promise<void> {
    if (this.target) this.records = await readRestarts(this.target.stateDir, this.target.project);
  }

  /** Counts `count` restarts of `key`, whose containers have `containerIds`, at `now`. */
  record(key: string, count: number, containerIds: readonly string[], now: number): void {
    if (count <= 0) return;
    this.records = withRestarts(this.records, key, count, containerIds, now);
    this.flush();
  }

  /** Resolves once every write begun so far has ended. */
  settled(): Promise<void> {
    return this.writing;
  }

  private flush(): void {
    const target = this.target;
    if (!target) return;
    this.writing = this.writing.then(() =>
      writeRestarts(target.stateDir, target.project, this.records).catch((e: Error) =>
        this.logger?.warn({ err: e.message }, 'could not record restart counts'),
      ),
    );
  }
}
