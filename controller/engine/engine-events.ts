import type { Labels } from './engine-requests.js';

/**
 * What an event says about berth's objects, in the engine's neutral words (each adapter maps
 * its own action names): a container `started`, `exited` (died, was stopped, killed,
 * OOM-killed), was `paused` or `unpaused`, its `health` verdict changed, its settings were
 * `updated` in place; any object was `removed`; a container was `disconnected` from a network.
 * Events that change nothing berth declares have none.
 */
export type EngineChange =
  | 'started'
  | 'exited'
  | 'paused'
  | 'unpaused'
  | 'health'
  | 'removed'
  | 'renamed'
  | 'disconnected'
  /** A container's settings were changed in place (`docker update`: restart policy, limits). */
  | 'updated';

/** One engine event about a container, network, volume or image (Engine.subscribeEvents). */
export interface EngineEvent {
  type: 'container' | 'network' | 'volume' | 'image';
  /** The engine's own action name, for people (describe, the web view's event list). */
  action: string;
  /** What it means for the controller; unset when it changes nothing berth declares. */
  change?: EngineChange;
  /** Container/network id, or volume name. */
  id: string;
  /** Engine name (containers: without slash). */
  name?: string;
  labels: Labels;
  /** Unix ms. */
  time: number;
  /** The engine's raw attributes (exitCode on `die`, the container on network `connect`…). */
  attributes?: Record<string, string>;
}

/** A running event subscription: ends on its own or when closed. */
export interface EventSubscription {
  /** Resolves when the stream ends (engine went away or close() was called). */
  readonly ended: Promise<void>;
  close(): void;
}

/**
 * The project's networks and volumes by engine name (value: `metadata.name`), one map per
 * event type: their events carry no labels (ENGINE-NOTES), so one with an engine name of its
 * own (`spec.name`) is known by this, besides the `<project>-` prefix (F172).
 */
export interface ResourceNames {
  network: ReadonlyMap<string, string>;
  volume: ReadonlyMap<string, string>;
}
