import { createHash } from 'node:crypto';
import type {
  ContainerCreateRequest,
  ContainerSettingsUpdate,
  ContainerDetails,
  Engine,
  EngineVersion,
  EngineContainerState,
  EngineErrorCode,
  EngineEvent,
  EventSubscription,
  HealthStatus,
  ImageBuildRequest,
  MutationResult,
  NameLookup,
  NetworkCreateRequest,
  ObserveOptions,
  EventOptions,
  ObservedImage,
  ObservedNetwork,
  ObservedState,
  ObservedVolume,
  ProgressListener,
  RegistryAuth,
  VolumeCreateRequest,
} from '../engine.js';
import { EngineError } from '../engine.js';
import { subscribeWorld } from './memory-events.js';
import { lookupWorldNames, observeWorld } from './memory-observe.js';
import * as containers from './memory-containers.js';
import * as objects from './memory-objects.js';
import { MemoryWorld } from './memory-world.js';

/** Operations that only read; everything else counts in `mutatingCalls()`. */
const READ_ONLY = new Set([
  'ping',
  'observe',
  'lookupNames',
  'inspectContainer',
  'tailLogs',
  'inspectImage',
  'inspectNetwork',
  'inspectVolume',
  'subscribeEvents',
]);

export interface MemoryEngineOptions {
  /** Clock for timestamps and events (unix ms). */
  now?: () => number;
  address?: string;
}

/**
 * An in-memory engine with the Docker adapter's semantics, for unit and property tests:
 * idempotent answers, 404/409 as E_NOT_FOUND/E_CONFLICT, label-filtered observe, events
 * for every change, restart policies on crashes. Fault injection: `failNext`,
 * `setLatency`, `crash`, `setState`, `setHealth`, `dropEvents`. Never a substitute for
 * the real-engine tests.
 */
let engines = 0;

export class MemoryEngine implements Engine {
  /** `ObservedState.engineMark`: one per instance, as a daemon's default network id is. */
  private readonly mark = `memory:${++engines}`;
  readonly address: string;
  /** Calls made per operation name (failed and injected-failure calls included). */
  readonly calls: Record<string, number> = {};
  /** ref → image id a pull of that ref yields; unknown refs fail like an unreachable registry. */
  readonly registry = new Map<string, string>();
  private readonly world: MemoryWorld;
  private latencyMs = 0;
  private readonly faults = new Map<string, { error: EngineError | Error; remaining: number }[]>();

  constructor(options: MemoryEngineOptions = {}) {
    this.world = new MemoryWorld(options.now ?? Date.now);
    this.address = options.address ?? 'memory://';
  }

  // ---- fault injection and inspection --------------------------------------------------

  /** The next `times` calls of `operation` (a method name) fail with this error or code. */
  failNext(
    operation: keyof Engine & string,
    error: EngineError | Error | EngineErrorCode,
    times = 1,
  ): void {
    const err =
      typeof error === 'string'
        ? new EngineError(error, `${operation}: injected failure (${error})`)
        : error;
    const queue = this.faults.get(operation) ?? [];
    queue.push({ error: err, remaining: times });
    this.faults.set(operation, queue);
  }

  /** Every call waits this long (real timers) before acting. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Network name → the aliases the container's endpoint there has (what `docker inspect` shows). */
  aliasesOf(containerId: string): Record<string, string[]> {
    const c = this.world.mustFindContainer(containerId, 'aliases');
    return Object.fromEntries([...c.networks].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The container's process dies by itself with `exitCode`; the restart policy applies. */
  crash(containerId: string, exitCode: number): void {
    containers.crashContainer(this.world, containerId, exitCode);
  }

  /** The container writes these lines to its log (what `tailLogs` reads back). */
  writeLog(containerId: string, ...lines: string[]): void {
    const c = this.world.mustFindContainer(containerId, 'writeLog');
    c.logLines = [...(c.logLines ?? []), ...lines];
  }

  /** Forces a state the API cannot produce on demand (`dead`, `restarting`, `removing`). */
  setState(containerId: string, state: EngineContainerState): void {
    this.world.mustFindContainer(containerId, 'setState').state = state;
  }

  /** Sets the healthcheck result, with the `health_status: …` event the engine sends. */
  setHealth(containerId: string, health: HealthStatus): void {
    const c = this.world.mustFindContainer(containerId, 'setHealth');
    c.health = health;
    if (health !== 'none') this.world.containerEvent(c, `health_status: ${health}`);
  }

  /** While on, events are lost (never delivered nor replayed), like a dropped stream. */
  dropEvents(drop: boolean): void {
    this.world.dropEvents = drop;
  }

  /** Seeds a local image; returns its id. */
  addImage(ref: string, id?: string, labels: Record<string, string> = {}): string {
    return objects.tagImage(this.world, ref, id ?? this.world.newId(`image:${ref}`), labels).id;
  }

  /** Total calls that may change something (all but observe/inspect/ping/subscribe). */
  mutatingCalls(): number {
    return Object.entries(this.calls)
      .filter(([op]) => !READ_ONLY.has(op))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  resetCalls(): void {
    for (const op of Object.keys(this.calls)) delete this.calls[op];
  }

  // ---- the Engine interface -----------------------------------------------------------

  /** What ping says this engine cannot carry (a test plays an engine that drops fields). */
  limits: EngineVersion['limits'];

  async ping(): Promise<EngineVersion> {
    await this.enter('ping');
    return {
      version: 'memory',
      apiVersion: '1.41',
      ...(this.limits ? { limits: this.limits } : {}),
    };
  }

  async observe(options: ObserveOptions): Promise<ObservedState> {
    await this.enter('observe');
    return observeWorld(this.world, options, this.mark);
  }

  async lookupNames(names: NameLookup): Promise<Omit<ObservedState, 'images'>> {
    await this.enter('lookupNames');
    return lookupWorldNames(this.world, names);
  }

  async inspectContainer(id: string): Promise<ContainerDetails | undefined> {
    await this.enter('inspectContainer');
    const c = this.world.findContainer(id);
    return c && containers.toDetails(c);
  }

  async tailLogs(id: string, lines: number): Promise<string | undefined> {
    await this.enter('tailLogs');
    const c = this.world.findContainer(id);
    if (!c) return undefined;
    const kept = c.logLines ?? [];
    return kept.slice(Math.max(0, kept.length - lines)).join('\n');
  }

  async inspectNetwork(idOrName: string): Promise<ObservedNetwork | undefined> {
    await this.enter('inspectNetwork');
    const n = this.world.findNetwork(idOrName);
    return n && { ...n, labels: { ...n.labels } };
  }

  async inspectVolume(name: string): Promise<ObservedVolume | undefined> {
    await this.enter('inspectVolume');
    const v = this.world.volumes.get(name);
    return v && { ...v, labels: { ...v.labels } };
  }

  async createContainer(request: ContainerCreateRequest): Promise<{ id: string }> {
    await this.enter('createContainer');
    return containers.createContainer(this.world, request);
  }

  async startContainer(id: string): Promise<MutationResult> {
    await this.enter('startContainer');
    return containers.startContainer(this.world, id);
  }

  async stopContainer(id: string, _timeoutSec?: number): Promise<MutationResult> {
    await this.enter('stopContainer');
    return containers.stopContainer(this.world, id);
  }

  async killContainer(id: string, signal = 'SIGKILL'): Promise<MutationResult> {
    await this.enter('killContainer');
    return containers.killContainer(this.world, id, signal);
  }

  async pauseContainer(id: string): Promise<MutationResult> {
    await this.enter('pauseContainer');
    return containers.pauseContainer(this.world, id);
  }

  async unpauseContainer(id: string): Promise<MutationResult> {
    await this.enter('unpauseContainer');
    return containers.unpauseContainer(this.world, id);
  }

  async removeContainer(id: string): Promise<MutationResult> {
    await this.enter('removeContainer');
    return containers.removeContainer(this.world, id);
  }

  async renameContainer(id: string, name: string): Promise<MutationResult> {
    await this.enter('renameContainer');
    return containers.renameContainer(this.world, id, name);
  }

  async updateContainer(id: string, settings: ContainerSettingsUpdate): Promise<MutationResult> {
    await this.enter('updateContainer');
    return containers.updateContainer(this.world, id, settings);
  }

  async createNetwork(request: NetworkCreateRequest): Promise<{ id: string }> {
    await this.enter('createNetwork');
    return objects.createNetwork(this.world, request);
  }

  async removeNetwork(idOrName: string): Promise<MutationResult> {
    await this.enter('removeNetwork');
    return objects.removeNetwork(this.world, idOrName);
  }

  async connectNetwork(
    network: string,
    container: string,
    aliases: string[],
  ): Promise<MutationResult> {
    await this.enter('connectNetwork');
    return objects.connectNetwork(this.world, network, container, aliases);
  }

  async disconnectNetwork(network: string, container: string): Promise<MutationResult> {
    await this.enter('disconnectNetwork');
    return objects.disconnectNetwork(this.world, network, container);
  }

  async createVolume(request: VolumeCreateRequest): Promise<{ name: string }> {
    await this.enter('createVolume');
    return objects.createVolume(this.world, request);
  }

  async removeVolume(name: string): Promise<MutationResult> {
    await this.enter('removeVolume');
    return objects.removeVolume(this.world, name);
  }

  async inspectImage(ref: string): Promise<ObservedImage | undefined> {
    await this.enter('inspectImage');
    const image = this.world.findImage(ref);
    return image && objects.toObservedImage(image);
  }

  async pullImage(
    ref: string,
    _auth?: RegistryAuth,
    onProgress?: ProgressListener,
  ): Promise<ObservedImage> {
    await this.enter('pullImage');
    const image = objects.pullImage(this.world, this.registry, ref);
    onProgress?.(`Status: Downloaded newer image for ${ref}`);
    return image;
  }

  async buildImage(
    request: ImageBuildRequest,
    onProgress?: ProgressListener,
    signal?: AbortSignal,
  ): Promise<ObservedImage> {
    await this.enter('buildImage');
    if (signal?.aborted)
      throw new EngineError('E_IMAGE_BUILD', `build of ${request.tag} cancelled`, {
        operation: 'build',
        target: request.tag,
      });
    const image = objects.buildImage(this.world, request);
    onProgress?.(`Successfully tagged ${request.tag}`);
    return image;
  }

  async removeImage(ref: string): Promise<MutationResult> {
    await this.enter('removeImage');
    return objects.removeImage(this.world, ref);
  }

  async tagImage(source: string, ref: string): Promise<MutationResult> {
    await this.enter('tagImage');
    const image = this.world.findImage(source);
    if (!image)
      throw new EngineError('E_IMAGE_PUSH', `cannot tag ${source} as ${ref}: no such image`, {
        operation: 'tag',
        target: source,
      });
    objects.tagImage(this.world, ref, image.id);
    return { changed: true };
  }

  /** Pushing puts the image into the seeded registry, so a later pull of `ref` finds it. */
  async pushImage(
    ref: string,
    _auth?: RegistryAuth,
    onProgress?: ProgressListener,
  ): Promise<{ digest?: string }> {
    await this.enter('pushImage');
    const image = this.world.findImage(ref);
    if (!image)
      throw new EngineError('E_IMAGE_PUSH', `cannot push ${ref}: not found (no such image)`, {
        operation: 'push',
        target: ref,
      });
    this.registry.set(ref, image.id);
    onProgress?.(`${ref}: pushed`);
    return { digest: `sha256:${createHash('sha256').update(image.id).digest('hex')}` };
  }

  /** Replays history from `since` (to `until`, then ends), else follows until closed. */
  subscribeEvents(options: EventOptions, onEvent: (event: EngineEvent) => void): EventSubscription {
    this.calls.subscribeEvents = (this.calls.subscribeEvents ?? 0) + 1;
    return subscribeWorld(this.world, options, onEvent);
  }

  /** Counts the call, waits the injected latency, throws an injected fault. */
  private async enter(operation: string): Promise<void> {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    else await Promise.resolve();
    const queue = this.faults.get(operation);
    const fault = queue?.[0];
    if (!queue || !fault) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) queue.shift();
    throw fault.error;
  }
}
