import { LABEL } from '../labels.js';
import type {
  ContainerCreateRequest,
  ContainerSettingsUpdate,
  Engine,
  Labels,
  MutationResult,
  ObserveOptions,
  ObservedState,
} from './engine.js';
import { EngineError, isEngineError } from './engine.js';

/** The kinds of engine object berth labels, as `berth.kind` spells them. */
export type OwnedKind = 'Container' | 'Network' | 'Volume' | 'Image';

/** True when the labels carry berth's identity for this kind (project, kind, name). */
export function carriesOwnership(labels: Labels | undefined, kind: OwnedKind): boolean {
  return Boolean(labels?.[LABEL.project] && labels[LABEL.name] && labels[LABEL.kind] === kind);
}

const GONE: MutationResult = { changed: false };

/**
 * Wraps an engine so that berth can never change an object it does not own, whatever the
 * engine answers (issue 19 item 11; DESIGN.md, "Identity and ownership"):
 *
 * - every stop, start, kill, pause, unpause, remove, rename and network disconnect first
 *   reads the object it acts on and refuses with `E_NOT_OWNED` unless it carries berth's
 *   labels for its kind; containers are then acted on by the id that was read, so a name
 *   taken over in between changes nothing;
 * - an object that is not there is not acted on: stop/kill/remove/disconnect are already
 *   done (`changed: false`), the others fail with `E_NOT_FOUND`;
 * - a destructive step (all of them but start) that fails with `E_ENGINE` fails with
 *   `E_UNEXPECTED` instead, which no machine retries.
 *
 * Container ids seen with berth's labels (observe, inspect, create) are remembered: an id
 * never changes its labels, so a container acted on after an observe costs no extra read.
 */
export function ownedOnly(inner: Engine): Engine {
  if (inner instanceof OwnedEngine) return inner;
  return new OwnedEngine(inner);
}

class OwnedEngine implements Engine {
  private readonly ownedContainerIds = new Set<string>();

  constructor(private readonly inner: Engine) {}

  get address(): string {
    return this.inner.address;
  }

  ping: Engine['ping'] = () => this.inner.ping();
  lookupNames: Engine['lookupNames'] = (names) => this.inner.lookupNames(names);
  tailLogs: Engine['tailLogs'] = (id, lines) => this.inner.tailLogs(id, lines);
  inspectNetwork: Engine['inspectNetwork'] = (ref) => this.inner.inspectNetwork(ref);
  inspectVolume: Engine['inspectVolume'] = (name) => this.inner.inspectVolume(name);
  inspectImage: Engine['inspectImage'] = (ref) => this.inner.inspectImage(ref);
  createNetwork: Engine['createNetwork'] = (request) => this.inner.createNetwork(request);
  createVolume: Engine['createVolume'] = (request) => this.inner.createVolume(request);
  connectNetwork: Engine['connectNetwork'] = (network, container, aliases) =>
    this.inner.connectNetwork(network, container, aliases);
  pullImage: Engine['pullImage'] = (ref, auth, onProgress) =>
    this.inner.pullImage(ref, auth, onProgress);
  buildImage: Engine['buildImage'] = (request, onProgress, signal) =>
    this.inner.buildImage(request, onProgress, signal);
  tagImage: Engine['tagImage'] = (source, ref) => this.inner.tagImage(source, ref);
  pushImage: Engine['pushImage'] = (ref, auth, onProgress) =>
    this.inner.pushImage(ref, auth, onProgress);
  subscribeEvents: Engine['subscribeEvents'] = (options, onEvent) =>
    this.inner.subscribeEvents(options, onEvent);

  async observe(options: ObserveOptions): Promise<ObservedState> {
    const observed = await this.inner.observe(options);
    for (const c of observed.containers) this.remember(c.id, c.labels);
    return observed;
  }

  async inspectContainer(id: string) {
    const details = await this.inner.inspectContainer(id);
    if (details) this.remember(details.id, details.labels);
    return details;
  }

  async createContainer(request: ContainerCreateRequest): Promise<{ id: string }> {
    const created = await this.inner.createContainer(request);
    this.remember(created.id, request.labels);
    return created;
  }

  async startContainer(id: string): Promise<MutationResult> {
    const owned = await this.ownedContainer(id, 'start');
    if (!owned) throw gone('start', 'container', id);
    return this.inner.startContainer(owned);
  }

  stopContainer(id: string, timeoutSec: number): Promise<MutationResult> {
    return this.onContainer('stop', id, (owned) => this.inner.stopContainer(owned, timeoutSec));
  }

  killContainer(id: string, signal?: string): Promise<MutationResult> {
    return this.onContainer('kill', id, (owned) => this.inner.killContainer(owned, signal));
  }

  pauseContainer(id: string): Promise<MutationResult> {
    return this.onContainer('pause', id, (owned) => this.inner.pauseContainer(owned), false);
  }

  unpauseContainer(id: string): Promise<MutationResult> {
    return this.onContainer('unpause', id, (owned) => this.inner.unpauseContainer(owned), false);
  }

  removeContainer(id: string): Promise<MutationResult> {
    return this.onContainer('remove', id, (owned) => this.inner.removeContainer(owned));
  }

  renameContainer(id: string, name: string): Promise<MutationResult> {
    return this.onContainer(
      'rename',
      id,
      (owned) => this.inner.renameContainer(owned, name),
      false,
    );
  }

  updateContainer(id: string, settings: ContainerSettingsUpdate): Promise<MutationResult> {
    return this.onContainer('update', id, (owned) => this.inner.updateContainer(owned, settings));
  }

  disconnectNetwork(network: string, container: string): Promise<MutationResult> {
    return this.onContainer('disconnect', container, (owned) =>
      this.inner.disconnectNetwork(network, owned),
    );
  }

  async removeNetwork(idOrName: string): Promise<MutationResult> {
    const found = await this.inner.inspectNetwork(idOrName);
    if (!found) return GONE;
    refuseUnlessOwned(found.labels, 'Network', 'remove', idOrName);
    return destructive('remove network', () => this.inner.removeNetwork(found.id));
  }

  async removeVolume(name: string): Promise<MutationResult> {
    const found = await this.inner.inspectVolume(name);
    if (!found) return GONE;
    refuseUnlessOwned(found.labels, 'Volume', 'remove', name);
    return destructive('remove volume', () => this.inner.removeVolume(found.name));
  }

  async removeImage(ref: string): Promise<MutationResult> {
    const found = await this.inner.inspectImage(ref);
    if (!found) return GONE;
    refuseUnlessOwned(found.labels, 'Image', 'remove', ref);
    return destructive('remove image', () => this.inner.removeImage(ref));
  }

  /**
   * Runs a destructive container step on the owned container's id. `goneIsDone`: a
   * missing container means the step's goal is met.
   */
  private async onContainer(
    operation: string,
    idOrName: string,
    run: (id: string) => Promise<MutationResult>,
    goneIsDone = true,
  ): Promise<MutationResult> {
    const owned = await this.ownedContainer(idOrName, operation);
    if (!owned) {
      if (goneIsDone) return GONE;
      throw gone(operation, 'container', idOrName);
    }
    return destructive(`${operation} container`, () => run(owned));
  }

  /** The id of the container to act on, after its labels were checked; undefined: none. */
  private async ownedContainer(idOrName: string, operation: string): Promise<string | undefined> {
    if (this.ownedContainerIds.has(idOrName)) return idOrName;
    const found = await this.inner.inspectContainer(idOrName);
    if (!found) return undefined;
    refuseUnlessOwned(found.labels, 'Container', operation, idOrName);
    this.ownedContainerIds.add(found.id);
    return found.id;
  }

  private remember(id: string, labels: Labels): void {
    if (carriesOwnership(labels, 'Container')) this.ownedContainerIds.add(id);
  }
}

function refuseUnlessOwned(
  labels: Labels,
  kind: OwnedKind,
  operation: string,
  target: string,
): void {
  if (carriesOwnership(labels, kind)) return;
  throw new EngineError(
    'E_NOT_OWNED',
    `refusing to ${operation} ${kind.toLowerCase()} ${target}: it does not carry berth's labels ` +
      `(${LABEL.project}, ${LABEL.kind}=${kind}, ${LABEL.name}); berth never changes what it does not own`,
    { operation, target },
  );
}

function gone(operation: string, kind: string, target: string): EngineError {
  return new EngineError('E_NOT_FOUND', `${operation} ${kind} ${target}: no such ${kind}`, {
    operation,
    target,
  });
}

/** A destructive step's unknown failure is reported, never retried. */
async function destructive(
  operation: string,
  run: () => Promise<MutationResult>,
): Promise<MutationResult> {
  try {
    return await run();
  } catch (e) {
    if (!isEngineError(e, 'E_ENGINE')) throw e;
    throw new EngineError(
      'E_UNEXPECTED',
      `${e.message} (an answer berth does not expect to ${operation}; not retried)`,
      e.detail,
    );
  }
}
