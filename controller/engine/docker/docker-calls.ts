import type Dockerode from 'dockerode';
import type { MutationResult } from '../engine.js';
import { engineMessage, statusOf, toEngineError } from './docker-errors.js';
import type { NetworkEventFeed } from './docker-network-events.js';
import type { DockerReads } from './docker-reads.js';

/**
 * What every call of the Docker adapter needs: the read-only client, dockerode (for what
 * changes the engine or streams, loaded on first use), the address errors name, and
 * whether the engine is Podman (asked once, on first need; docker-flavour.ts).
 */
export interface DockerCalls {
  reads: DockerReads;
  full(): Promise<Dockerode>;
  address: string;
  podman(): Promise<boolean>;
  /** Podman sends no network create/remove events: the adapter makes them. */
  networkFeed: NetworkEventFeed;
}

/** How a mutation's "already so" answers read: which statuses/messages mean `changed: false`. */
export interface Idempotence {
  /** 404 means the goal is met (removed, stopped). */
  goneIsDone?: boolean;
  /** A 409/403 whose message matches means the goal is met ("is already paused"). */
  alreadyDone?: RegExp;
}

/** Runs one engine call, turning any failure into an EngineError. */
export async function call<T>(
  d: DockerCalls,
  operation: string,
  target: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toEngineError(e, d.address, operation, target);
  }
}

/** Runs a mutation; 304 and the "already so" answers of `idempotence` are `changed: false`. */
export async function mutate(
  d: DockerCalls,
  operation: string,
  target: string,
  run: () => Promise<unknown>,
  idempotence: Idempotence,
): Promise<MutationResult> {
  try {
    await run();
    return { changed: true };
  } catch (e) {
    const status = statusOf(e);
    if (status === 304) return { changed: false };
    if (status === 404 && idempotence.goneIsDone) return { changed: false };
    if (status !== undefined && status >= 400 && idempotence.alreadyDone?.test(engineMessage(e))) {
      return { changed: false };
    }
    throw toEngineError(e, d.address, operation, target);
  }
}
