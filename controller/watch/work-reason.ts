import { basename } from 'node:path';
import type { ObjectKey } from '../../specs/model.js';
import type { EngineChange, EngineEvent } from '../engine/engine.js';

/** Why a full resync (one observe and plan of the whole project) was asked for. */
export type ResyncTrigger =
  | 'start'
  | 'timer'
  | 'engine-reconnected'
  /** A container was disconnected from a network: the event names it by id only. */
  | 'network-disconnected'
  | 'requested';

/**
 * What a source pushes into the controller's sink (controller-runtime's sources: data, never
 * prose). `manifest-changed` re-reads the desired set and queues the keys whose declaration
 * changed; `engine-event` queues one object (or nothing, when `objectRef` is unset: the event
 * is only shown); `resync` observes and plans everything and queues what has work.
 */
export type SourceItem =
  | { kind: 'manifest-changed'; paths: string[]; revision?: string; referenced?: true }
  | {
      kind: 'engine-event';
      objectRef: ObjectKey | undefined;
      action: string;
      change: EngineChange | undefined;
      event: EngineEvent;
    }
  | {
      kind: 'resync';
      trigger: ResyncTrigger;
      /** The engine id of the container a network disconnect names, when it names one. */
      containerId?: string;
    };

/** Why a key is in the work queue: the latest reason wins. */
export type WorkReason =
  /**
   * `referenced`: the paths are files the manifests name (a build context's files, a Secret's
   * file, an env file), not manifests (F801).
   */
  | { kind: 'manifest-changed'; paths: string[]; referenced?: true }
  | {
      kind: 'engine-event';
      objectRef: ObjectKey;
      action: string;
      change: EngineChange;
      /** The engine id of the container the event names (container events only). */
      containerId?: string;
      /** When the engine says the event happened (Unix ms, the engine's clock). */
      at?: number;
    }
  | { kind: 'resync'; trigger: ResyncTrigger }
  /** A restart held back by the crash-loop back-off may run now. */
  | { kind: 'backoff-expired' }
  /** A health verdict from before an unpause may be trusted again (a fresh probe ran). */
  | { kind: 'health-settled' }
  /** Something the object waits for (network, image) was created or replaced. */
  | { kind: 'dependency-changed'; of: ObjectKey }
  /** What the object waited for (dependsOn, or any object it needs) is ready now. */
  | { kind: 'dependency-ready'; of: ObjectKey }
  /** Asked for by a person (web view sync/restart). */
  | { kind: 'requested'; action: string };

/** Where sources push their work. Resolves once the item has been taken in (not worked off). */
export interface WorkSink {
  push(item: SourceItem): Promise<void>;
}

/**
 * One source of work (controller-runtime's `Source.Start(ctx, queue)`): `start` begins
 * pushing into the sink and resolves once the source has delivered what it has now (a git
 * source: its first revision); `stop` ends it and resolves when nothing more will be pushed.
 */
export interface WorkSource {
  readonly name: string;
  start(sink: WorkSink): Promise<void>;
  stop(): Promise<void>;
}

/** One line for people: logs, the event stream, the web view's plan. */
export function describeReason(reason: WorkReason): string {
  switch (reason.kind) {
    case 'manifest-changed':
      return reason.referenced ? `${referencedText(reason.paths)} changed` : 'manifests changed';
    case 'engine-event':
      return `engine event: ${reason.action}`;
    case 'resync':
      return RESYNC_TEXT[reason.trigger];
    case 'backoff-expired':
      return 'back-off ended';
    case 'health-settled':
      return 'health verdict after unpause';
    case 'dependency-changed':
      return `${reason.of} changed`;
    case 'dependency-ready':
      return `${reason.of} is ready`;
    case 'requested':
      return `${reason.action} requested`;
  }
}

/** `Dockerfile`, `a, b and 3 more` (names only: the folder is the watched one's or a context's). */
function referencedText(paths: string[]): string {
  const names = [...new Set(paths.map((p) => basename(p)))];
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown || 'referenced files';
}

const RESYNC_TEXT: Record<ResyncTrigger, string> = {
  start: 'start',
  timer: 'periodic resync',
  'engine-reconnected': 'engine reconnected',
  'network-disconnected': 'engine event: network disconnect',
  requested: 'sync requested',
};

/** Work that repairs drift (anything but a change of the manifests). */
export function isDriftRepair(reason: WorkReason): boolean {
  return reason.kind !== 'manifest-changed';
}
