import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { LABEL } from '../../labels.js';
import { EngineError, type Labels } from '../engine.js';
import { dockerOptions } from '../docker/docker-connect.js';
import type { EngineAddress } from '../docker/engine-address.js';
import { engineMessage, statusOf, toEngineError } from '../docker/docker-errors.js';
import { jsonLines } from '../docker/docker-events.js';
import type {
  ObservedNode,
  ObservedService,
  ObservedSwarmObject,
  ObservedTask,
  SwarmEngine,
  SwarmFileRequest,
  SwarmKind,
  SwarmLogOptions,
  SwarmNetworkRequest,
  SwarmObserved,
  SwarmServiceEvent,
  SwarmServiceSpec,
} from './swarm-types.js';
import { TASK_HASH } from './swarm-service-spec.js';

/** The `berth.kind` each Swarm object kind carries. */
const OWNED_KIND: Record<SwarmKind, string> = {
  service: 'Container',
  network: 'Network',
  secret: 'Secret',
  config: 'Config',
};

/**
 * The Swarm adapter: the only code that knows the Engine API's Swarm endpoints (services,
 * tasks, secrets, configs, overlay networks), their version indexes and their answers
 * (503: not a manager; 404: gone). Reached like any Docker engine (unix, tcp, TLS, ssh).
 */
export async function createSwarmEngine(address: EngineAddress): Promise<SwarmEngine> {
  const { default: Docker } = await import('dockerode');
  return new DockerSwarmEngine(new Docker(dockerOptions(address)), address.display);
}

class DockerSwarmEngine implements SwarmEngine {
  constructor(
    private readonly docker: Dockerode,
    readonly address: string,
  ) {}

  async observe(project?: string): Promise<SwarmObserved> {
    const label = project === undefined ? LABEL.project : `${LABEL.project}=${project}`;
    const filters = { label: [label] };
    const [services, tasks, networks, secrets, configs] = await this.call('observe', () =>
      Promise.all([
        this.docker.listServices({ filters }),
        // Tasks match the labels of their ContainerSpec, which berth sets as the service's.
        this.docker.listTasks({ filters }),
        this.docker.listNetworks({ filters: { ...filters, driver: ['overlay'] } }),
        this.docker.listSecrets({ filters }),
        this.docker.listConfigs({ filters }),
      ]),
    );
    return {
      services: services.map(fromService),
      tasks: (tasks as RawTask[]).map(fromTask),
      networks: networks.map((n) => named(n.Id, n.Name, n.Labels)),
      secrets: secrets.map((s) => named(s.ID, s.Spec?.Name ?? '', s.Spec?.Labels)),
      configs: configs.map((c) => named(c.ID, c.Spec?.Name ?? '', c.Spec?.Labels)),
    };
  }

  async createService(spec: SwarmServiceSpec): Promise<{ id: string }> {
    // No registry auth and no digest resolution: images are used as the nodes have them.
    const created = (await this.call('create service', () =>
      this.docker.createService(spec as unknown as Dockerode.ServiceSpec),
    )) as unknown as { id?: string; ID?: string };
    return { id: created.id ?? created.ID ?? '' };
  }

  async updateService(id: string, version: number, spec: SwarmServiceSpec): Promise<void> {
    await this.call('update service', () =>
      this.docker.getService(id).update({ _query: { version }, _body: spec }),
    );
  }

  async createNetwork(request: SwarmNetworkRequest): Promise<{ id: string }> {
    const network = await this.call('create network', () =>
      this.docker.createNetwork({
        Name: request.name,
        Driver: 'overlay',
        Attachable: true,
        Internal: request.internal,
        CheckDuplicate: true,
        Labels: request.labels,
        Options: request.options,
        ...(request.ipam
          ? {
              IPAM: {
                Driver: 'default',
                Config: [
                  {
                    Subnet: request.ipam.subnet,
                    Gateway: request.ipam.gateway,
                    ...(request.ipam.ipRange !== undefined && { IPRange: request.ipam.ipRange }),
                    ...(request.ipam.auxAddresses !== undefined && {
                      AuxiliaryAddresses: request.ipam.auxAddresses,
                    }),
                  },
                ],
              },
            }
          : {}),
      }),
    );
    return { id: network.id };
  }

  createSecret(request: SwarmFileRequest): Promise<{ id: string }> {
    return this.createFile('secret', request);
  }

  createConfig(request: SwarmFileRequest): Promise<{ id: string }> {
    return this.createFile('config', request);
  }

  /** Secrets and configs are created alike: name, labels, base64 data. */
  private async createFile(
    kind: 'secret' | 'config',
    request: SwarmFileRequest,
  ): Promise<{ id: string }> {
    const body = {
      Name: request.name,
      Labels: request.labels,
      Data: request.data.toString('base64'),
    };
    const created = (await this.call(`create ${kind}`, () =>
      kind === 'secret' ? this.docker.createSecret(body) : this.docker.createConfig(body),
    )) as unknown as { id: string };
    return { id: created.id };
  }

  async remove(kind: SwarmKind, id: string): Promise<{ changed: boolean }> {
    const handle = this.handle(kind, id);
    let labels: Labels | undefined;
    try {
      const found = (await handle.inspect()) as { Labels?: Labels; Spec?: { Labels?: Labels } };
      labels = kind === 'network' ? found.Labels : found.Spec?.Labels;
    } catch (e) {
      if (statusOf(e) === 404) return { changed: false };
      throw toEngineError(e, this.address, `inspect ${kind}`, id);
    }
    if (!labels?.[LABEL.project] || labels[LABEL.kind] !== OWNED_KIND[kind])
      throw new EngineError(
        'E_NOT_OWNED',
        `refusing to remove ${kind} ${id}: it does not carry berth's labels; berth never changes what it does not own`,
        { operation: `remove ${kind}`, target: id },
      );
    try {
      await handle.remove();
      return { changed: true };
    } catch (e) {
      if (statusOf(e) === 404) return { changed: false };
      throw toEngineError(e, this.address, `remove ${kind}`, id);
    }
  }

  async serviceLogs(id: string, options: SwarmLogOptions): Promise<NodeJS.ReadableStream> {
    const stream = await this.call('service logs', () =>
      this.docker.getService(id).logs({
        stdout: true,
        stderr: true,
        follow: options.follow ?? false,
        timestamps: options.timestamps ?? false,
        ...(options.tail !== undefined ? { tail: options.tail } : {}),
        ...(options.since !== undefined ? { since: options.since } : {}),
      } as Dockerode.ContainerLogsOptions & { follow: false }),
    );
    // Without `follow` dockerode answers with the whole log as one buffer.
    if (Buffer.isBuffer(stream)) return Readable.from([stream]);
    return stream as unknown as NodeJS.ReadableStream;
  }

  async nodes(): Promise<ObservedNode[]> {
    const listed = (await this.call('list nodes', () => this.docker.listNodes())) as RawNode[];
    return listed.map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? n.ID.slice(0, 12),
      addr: n.Status?.Addr ?? '',
      role: n.Spec?.Role ?? '',
      state: n.Status?.State ?? '',
      labels: n.Spec?.Labels ?? {},
    }));
  }

  async selfNodeId(): Promise<string> {
    const info = (await this.call('info', () => this.docker.info())) as {
      Swarm?: { NodeID?: string };
    };
    return info.Swarm?.NodeID ?? '';
  }

  subscribeServiceEvents(
    onEvent: (event: SwarmServiceEvent) => void,
    onError: (error: Error) => void,
  ): () => void {
    let stream: NodeJS.ReadableStream | undefined;
    let closed = false;
    let failed = false;
    const fail = (e: Error) => {
      if (closed || failed) return;
      failed = true;
      onError(e);
    };
    const lines = jsonLines((value) => {
      const raw = value as { Type?: string; Action?: string; Actor?: { Attributes?: Labels } };
      const service = raw.Actor?.Attributes?.name;
      if (raw.Type === 'service' && raw.Action && service) onEvent({ action: raw.Action, service });
    });
    this.docker.getEvents({ filters: { type: ['service'] } }).then(
      (s) => {
        stream = s;
        if (closed) return destroy(s);
        s.on('data', (chunk: Buffer) => lines.push(chunk));
        s.on('end', () => fail(new Error(`the event stream of ${this.address} ended`)));
        s.on('error', (e: Error) => fail(e));
      },
      (e: unknown) => fail(toEngineError(e, this.address, 'service events')),
    );
    return () => {
      closed = true;
      if (stream) destroy(stream);
    };
  }

  private handle(
    kind: SwarmKind,
    id: string,
  ): { inspect(): Promise<unknown>; remove(): Promise<unknown> } {
    if (kind === 'service') return this.docker.getService(id);
    if (kind === 'network') return this.docker.getNetwork(id);
    if (kind === 'secret') return this.docker.getSecret(id);
    return this.docker.getConfig(id);
  }

  /** Runs one call; 503 is "not a Swarm manager", everything else the generic mapping. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (statusOf(e) === 503)
        throw new EngineError(
          'E_ENGINE',
          `the engine at ${this.address} is not a Swarm manager (--backend swarm needs one): ${engineMessage(e)}`,
          { operation, status: 503, cause: e },
        );
      throw toEngineError(e, this.address, operation);
    }
  }
}

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}

interface RawNode {
  ID: string;
  Description?: { Hostname?: string };
  Spec?: { Role?: string; Labels?: Labels };
  Status?: { State?: string; Addr?: string };
}

function named(id: string, name: string, labels: Labels | undefined): ObservedSwarmObject {
  return { id, name, labels: labels ?? {} };
}

interface RawService {
  ID: string;
  Version?: { Index?: number };
  Spec?: {
    Name?: string;
    Labels?: Labels;
    Mode?: { Replicated?: { Replicas?: number } };
    TaskTemplate?: { ContainerSpec?: { Image?: string; Labels?: Labels } };
  };
  UpdateStatus?: { State?: string; Message?: string };
}

function fromService(raw: unknown): ObservedService {
  const s = raw as RawService;
  const taskHash = s.Spec?.TaskTemplate?.ContainerSpec?.Labels?.[TASK_HASH];
  return {
    id: s.ID,
    name: s.Spec?.Name ?? '',
    labels: s.Spec?.Labels ?? {},
    version: s.Version?.Index ?? 0,
    replicas: s.Spec?.Mode?.Replicated?.Replicas ?? 0,
    image: s.Spec?.TaskTemplate?.ContainerSpec?.Image ?? '',
    ...(taskHash ? { taskHash } : {}),
    ...(s.UpdateStatus?.State ? { updateState: s.UpdateStatus.State } : {}),
    ...(s.UpdateStatus?.Message ? { updateMessage: s.UpdateStatus.Message } : {}),
  };
}

interface RawTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState?: string;
  Spec?: { ContainerSpec?: { Labels?: Labels } };
  Status?: {
    State?: string;
    Message?: string;
    Err?: string;
    Timestamp?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

function fromTask(t: RawTask): ObservedTask {
  const status = t.Status ?? {};
  return {
    id: t.ID,
    serviceId: t.ServiceID,
    labels: t.Spec?.ContainerSpec?.Labels ?? {},
    slot: t.Slot ?? 0,
    nodeId: t.NodeID ?? '',
    desiredState: t.DesiredState ?? '',
    state: status.State ?? '',
    message: status.Message ?? '',
    ...(status.Err ? { error: status.Err } : {}),
    ...(status.ContainerStatus?.ContainerID
      ? { containerId: status.ContainerStatus.ContainerID }
      : {}),
    ...(status.ContainerStatus?.ExitCode !== undefined
      ? { exitCode: status.ContainerStatus.ExitCode }
      : {}),
    updatedAt: status.Timestamp ? Date.parse(status.Timestamp) : 0,
  };
}
