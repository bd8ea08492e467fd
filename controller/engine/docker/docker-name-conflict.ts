import type { ContainerDetails } from '../engine.js';

/** How long a name Docker has reserved may stay unreadable: 20 reads, 50 ms apart. */
const RESERVATION_READS = 20;
const RESERVATION_PAUSE_MS = 50;

/**
 * The container that holds `name` after a create answered 409 "is already in use". Docker
 * reserves a name before the container that takes it exists: while a concurrent create is
 * still under way, inspect answers 404 for a moment. So read again briefly; undefined when
 * the name never became readable (its create failed and released it).
 */
export async function nameHolder(
  inspect: (name: string) => Promise<ContainerDetails | undefined>,
  name: string,
): Promise<ContainerDetails | undefined> {
  for (let attempt = 0; attempt < RESERVATION_READS; attempt++) {
    const found = await inspect(name);
    if (found) return found;
    await new Promise((r) => setTimeout(r, RESERVATION_PAUSE_MS));
  }
  return undefined;
}
