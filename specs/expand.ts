import type {
  ContainerObject,
  ContainerSpec,
  DesiredObject,
  NetworkAttachment,
  NetworkObject,
} from './model.js';
import { copyPositions } from './positions.js';

/**
 * The declared set as the engine will hold it, worked out before linking so that the
 * planner only ever sees plain objects:
 *
 * - the project's default network (DESIGN.md, "More of the container model"): a container
 *   that names no `networks` and no `networkMode` joins `Network/default`
 *   (engine name `<project>-default`); a declared `Network/default` is used as written,
 *   otherwise one is added (driver bridge) to the file of the first container that needs it
 *   (one that names no networks, or names `default` among its networks);
 * - `replicas` above 1: the container becomes instances `<name>-<i>` (i from 1), each
 *   carrying `replica: {of, index}` (the create request adds `<name>` as an alias on every
 *   network, as Compose services have); a `dependsOn` naming the container waits for every instance, and
 *   `container:<name>` in networkMode, ipc or pid joins instance 1 (Compose's
 *   `network_mode: service:NAME` joins the service's first container);
 * - `replicas: 0`: the container stays as declared ({@link scaledToZero}) and a `dependsOn`
 *   naming it waits for nothing, as in Compose: docker-compose 1.29 (`Service.is_healthy`,
 *   `is_completed_successfully`) checks every container of the dependency, which holds for
 *   none, and Compose v2 skips "the dependency which configured to have 0 containers running"
 *   (`shouldWaitForDependency`). Joining its namespace is a validation error (nothing to join).
 *
 * Takes and returns one array per file, in order. Idempotent: expanded instances and a
 * present default network are left as they are. Positions are carried over.
 */
export function expandDeclared(files: DesiredObject[][]): DesiredObject[][] {
  const withNetwork = addDefaultNetwork(files);
  // Only the first declaration of a name expands, as only it is linked (link.ts): a second
  // `web` with `replicas: 2` made both copies `web-1`, `web-2`, so checkSet reported names
  // nobody declared, and host ports the first copy's instances shared (F800). The duplicate
  // is reported by checkSet under its declared name.
  const first = new Map<string, ContainerObject>();
  for (const o of withNetwork.flat())
    if (o.kind === 'Container' && !o.replica && !first.has(o.name)) first.set(o.name, o);
  const instancesOf = new Map<string, string[]>();
  for (const [name, o] of first)
    if ((o.spec.replicas ?? 1) !== 1)
      instancesOf.set(name, instanceNames(name, o.spec.replicas ?? 1));
  return withNetwork.map((objects) =>
    objects.flatMap((o): DesiredObject[] =>
      o.kind === 'Container' ? expandContainer(o, instancesOf, first.get(o.name) === o) : [o],
    ),
  );
}

/**
 * A container declared with `replicas: 0` (Compose `scale: 0`): declared, none running. It
 * stays in the declared set as itself (status and get show it, 0/0 ready); no engine object
 * is created for it, and the planner removes any replica it had.
 */
export function scaledToZero(o: DesiredObject): boolean {
  return o.kind === 'Container' && o.spec.replicas === 0;
}

/** The name of replica `index` of a container declared as `name` (DESIGN.md: `<project>-<name>-<i>`). */
export function replicaName(name: string, index: number): string {
  return `${name}-${index}`;
}

function instanceNames(name: string, replicas: number): string[] {
  return Array.from({ length: replicas }, (_, i) => replicaName(name, i + 1));
}

/** The name of the project's default network object (engine name `<project>-default`). */
export const DEFAULT_NETWORK = 'default';

/** True when the container names no network and no network mode. */
function joinsDefaultNetwork(spec: ContainerSpec): boolean {
  const mode = (spec as { networkMode?: unknown }).networkMode;
  return spec.networks.length === 0 && mode === undefined;
}

function addDefaultNetwork(files: DesiredObject[][]): DesiredObject[][] {
  const declared = files.flat().some((o) => o.kind === 'Network' && o.name === DEFAULT_NETWORK);
  let added = declared;
  return files.map((objects) =>
    objects.flatMap((o): DesiredObject[] => {
      if (o.kind !== 'Container') return [o];
      if (!joinsDefaultNetwork(o.spec)) {
        // Naming `default` beside other networks (Compose's `networks: [default, x]`) uses it too.
        if (added || !o.spec.networks.some((n) => n.network === DEFAULT_NETWORK)) return [o];
        added = true;
        return [defaultNetwork(o), o];
      }
      const attachment: NetworkAttachment = { network: DEFAULT_NETWORK, aliases: [] };
      const joined = derive(o, { ...o, spec: { ...o.spec, networks: [attachment] } });
      if (added) return [joined];
      added = true;
      return [defaultNetwork(o), joined];
    }),
  );
}

function defaultNetwork(firstUser: ContainerObject): NetworkObject {
  return {
    kind: 'Network',
    name: DEFAULT_NETWORK,
    labels: {},
    spec: { driver: 'bridge', internal: false, attachable: false, options: {} },
    source: firstUser.source,
    specHash: '',
    implied: true,
  };
}

/** `declaration`: the first declaration of its name (a later one is a duplicate, left as written). */
function expandContainer(
  container: ContainerObject,
  instancesOf: Map<string, string[]>,
  declaration: boolean,
): ContainerObject[] {
  const dependsOn = container.spec.dependsOn.flatMap((d) =>
    (instancesOf.get(d.container) ?? [d.container]).map((name) => ({ ...d, container: name })),
  );
  const joined = joinFirstInstances(container, instancesOf);
  const rewired =
    !joined &&
    dependsOn.length === container.spec.dependsOn.length &&
    dependsOn.every((d, i) => d.container === container.spec.dependsOn[i]?.container)
      ? container
      : derive(container, { ...container, spec: { ...container.spec, ...joined, dependsOn } });
  const names = container.replica || !declaration ? undefined : instancesOf.get(container.name);
  // `replicas: 0` keeps the object as declared, with no instance (plan-zero.ts plans it).
  if (!names?.length) return [rewired];
  // The spec stays as declared (the `<name>` alias is added by the create request): an
  // instance hashes as the container does at any scale, so scaling recreates nothing (F26).
  return names.map((name, i) =>
    derive(container, { ...rewired, name, replica: { of: container.name, index: i + 1 } }),
  );
}

const NAMESPACE_FIELDS = ['networkMode', 'ipc', 'pid'] as const;

/**
 * `container:NAME` naming a replicated container → `container:NAME-1` (undefined when
 * nothing changes). A container naming itself is left as written, so the check reports it.
 */
function joinFirstInstances(
  container: ContainerObject,
  instancesOf: Map<string, string[]>,
): Partial<ContainerSpec> | undefined {
  const changed: Partial<Record<(typeof NAMESPACE_FIELDS)[number], string>> = {};
  for (const field of NAMESPACE_FIELDS) {
    const mode = container.spec[field];
    if (!mode?.startsWith('container:')) continue;
    const target = mode.slice('container:'.length);
    const first = instancesOf.get(target)?.[0];
    if (first && target !== (container.replica?.of ?? container.name))
      changed[field] = `container:${first}`;
  }
  return Object.keys(changed).length ? changed : undefined;
}

function derive<T extends DesiredObject>(from: DesiredObject, to: T): T {
  copyPositions(from, to);
  return to;
}
