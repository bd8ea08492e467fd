import type { ObjectStatus } from '../../status/status-types.js';

/**
 * `get -w` prints, after its first table, only the rows that changed (kubectl's habit), so a
 * watcher reads events rather than re-reading the whole set. A row changed when anything
 * shown about its object changed except its age, which moves on its own; an object that is
 * new counts as changed. Objects gone since the last render are returned apart, so the
 * caller can say so.
 *
 * `shown(o)` is the row's text as the table prints it without AGE: a field the table does
 * not show (a condition's message, a timestamp) changing must not print an identical row
 * again (a CI run printed `calm` twice with nothing but its age different).
 */
export class ChangedRows {
  private last = new Map<ObjectStatus['key'], string>();
  private first = true;

  constructor(private readonly shown: (o: ObjectStatus) => string) {}

  /**
   * Splits `objects` (the whole current set) into what to print now: on the first call every
   * object with `header: true`; after that the changed ones and the keys that disappeared.
   */
  next(objects: ObjectStatus[]): {
    header: boolean;
    changed: ObjectStatus[];
    gone: ObjectStatus['key'][];
  } {
    const now = new Map(objects.map((o) => [o.key, this.shown(o)]));
    const changed = this.first
      ? objects
      : objects.filter((o) => this.last.get(o.key) !== now.get(o.key));
    const gone = this.first ? [] : [...this.last.keys()].filter((k) => !now.has(k));
    const header = this.first;
    this.first = false;
    this.last = now;
    return { header, changed, gone };
  }
}
