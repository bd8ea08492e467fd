/**
 * fast-check generators for valid manifest sets, and renderers that write one abstract
 * set in different but equivalent YAML spellings. Test support only.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

interface AbstractPort {
  containerPort: number;
  hostPort?: number;
  hostIP: string;
  protocol: 'tcp' | 'udp';
}

interface AbstractContainer {
  name: string;
  image: { object: string } | { literal: string };
  env: [string, string][];
  ports: AbstractPort[];
  networks: { name: string; aliases: string[] }[];
  volumes: { name: string; target: string }[];
  bindMounts: { name: string; target: string; readOnly: boolean }[];
  stopGraceSeconds?: number;
  memoryKi?: number;
  dependsOn: string[];
  labels: [string, string][];
}

export interface AbstractSet {
  images: { name: string; ref: string }[];
  networks: { name: string; subnetOctet?: number }[];
  volumes: string[];
  bindMounts: { name: string; path: string }[];
  containers: AbstractContainer[];
}

const pick = <T>(items: T[]) =>
  items.length === 0
    ? fc.constant([] as T[])
    : fc.subarray(items, { maxLength: Math.min(3, items.length) });

/** A valid set: unique names per kind, references only to declared objects, no cycles, no port clashes. */
export const abstractSet: fc.Arbitrary<AbstractSet> = fc
  .record({
    images: fc.uniqueArray(dnsLabel, { maxLength: 2 }),
    networks: fc.uniqueArray(dnsLabel, { maxLength: 3 }),
    volumes: fc.uniqueArray(dnsLabel, { maxLength: 2 }),
    bindMounts: fc.uniqueArray(dnsLabel, { maxLength: 2 }),
    containers: fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 4 }),
  })
  .chain((names) =>
    fc.record({
      images: fc.constant(names.images.map((name) => ({ name, ref: `local/${name}:1` }))),
      networks: fc.tuple(
        ...names.networks.map((name, i) =>
          fc
            .option(fc.constant(i + 1), { nil: undefined })
            .map((subnetOctet) => ({ name, subnetOctet })),
        ),
      ),
      volumes: fc.constant(names.volumes),
      bindMounts: fc.constant(names.bindMounts.map((name) => ({ name, path: `./host/${name}` }))),
      containers: fc.tuple(...names.containers.map((name, index) => container(name, index, names))),
    }),
  );

function container(
  name: string,
  index: number,
  names: {
    images: string[];
    networks: string[];
    volumes: string[];
    bindMounts: string[];
    containers: string[];
  },
): fc.Arbitrary<AbstractContainer> {
  const port = (n: number) =>
    fc
      .record({
        containerPort: fc.integer({ min: 1, max: 65535 }),
        published: fc.boolean(),
        local: fc.boolean(),
        protocol: fc.constantFrom('tcp' as const, 'udp' as const),
      })
      .map(({ containerPort, published, local, protocol }): AbstractPort => {
        // Host ports unique across the set, so no clash is generated.
        const hostPort = published ? 20000 + index * 10 + n : undefined;
        return { containerPort, hostPort, hostIP: published && local ? '127.0.0.1' : '', protocol };
      });
  return fc.record({
    name: fc.constant(name),
    image:
      names.images.length > 0
        ? fc.oneof(
            fc.constantFrom(...names.images).map((object) => ({ object })),
            fc.constant({ literal: 'busybox:1.36' }),
          )
        : fc.constant({ literal: 'localhost/berth-busybox:1' }),
    env: fc.uniqueArray(
      fc.tuple(fc.stringMatching(/^[A-Z][A-Z_]{0,5}$/), fc.string({ maxLength: 8 })),
      {
        maxLength: 3,
        selector: ([key]) => key,
      },
    ),
    ports: fc.tuple(port(0), port(1), port(2)).chain((ports) => fc.subarray(ports)),
    networks: pick(names.networks).chain((nets) =>
      fc.tuple(
        ...nets.map((net) =>
          fc.uniqueArray(dnsLabel, { maxLength: 2 }).map((aliases) => ({ name: net, aliases })),
        ),
      ),
    ),
    volumes: pick(names.volumes).map((vs) => vs.map((v) => ({ name: v, target: `/v/${v}` }))),
    bindMounts: pick(names.bindMounts).chain((bs) =>
      fc.tuple(
        ...bs.map((b) =>
          fc.boolean().map((readOnly) => ({ name: b, target: `/b/${b}`, readOnly })),
        ),
      ),
    ),
    stopGraceSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    memoryKi: fc.option(fc.integer({ min: 6 * 1024, max: 1 << 20 }), { nil: undefined }),
    dependsOn: pick(names.containers.slice(0, index)),
    labels: fc.uniqueArray(fc.tuple(dnsLabel, fc.string({ maxLength: 5 })), {
      maxLength: 2,
      selector: ([k]) => k,
    }),
  });
}

/** Choices that change the spelling, never the meaning. */
export interface Spelling {
  envAsList: boolean;
  portsLong: boolean;
  durationStyle: 's' | 'ms' | 'int';
  memoryAsBytes: boolean;
  networksLong: boolean;
  /** Seed for shuffling mapping keys and alias order; 0 keeps the written order. */
  shuffleSeed: number;
}

export const spelling: fc.Arbitrary<Spelling> = fc.record({
  envAsList: fc.boolean(),
  portsLong: fc.boolean(),
  durationStyle: fc.constantFrom('s' as const, 'ms' as const, 'int' as const),
  memoryAsBytes: fc.boolean(),
  networksLong: fc.boolean(),
  shuffleSeed: fc.integer({ min: 1, max: 2 ** 30 }),
});

export const PLAIN: Spelling = {
  envAsList: false,
  portsLong: false,
  durationStyle: 's',
  memoryAsBytes: false,
  networksLong: false,
  shuffleSeed: 0,
};

/** A value written so that interpolation gives it back: `$` is spelled `$$`. */
function literal(value: string): string {
  return value.replace(/\$/g, () => '$$');
}

function literalEntries(entries: [string, string][]): Record<string, string> {
  return Object.fromEntries(entries.map(([k, v]) => [k, literal(v)]));
}

/** The set as manifest documents (plain data), spelled as asked. */
export function renderSet(set: AbstractSet, how: Spelling): Record<string, unknown>[] {
  const envelope = (kind: string, name: string, spec?: unknown, labels?: [string, string][]) => ({
    apiVersion: 'berth/v1',
    kind,
    metadata: labels && labels.length > 0 ? { name, labels: literalEntries(labels) } : { name },
    ...(spec === undefined ? {} : { spec }),
  });
  const docs = [
    ...set.images.map((i) => envelope('Image', i.name, { ref: i.ref })),
    ...set.networks.map((n) =>
      envelope(
        'Network',
        n.name,
        n.subnetOctet === undefined
          ? undefined
          : { ipam: { subnet: `10.${n.subnetOctet}.0.0/16`, gateway: `10.${n.subnetOctet}.0.1` } },
      ),
    ),
    ...set.volumes.map((v) => envelope('Volume', v)),
    ...set.bindMounts.map((b) => envelope('BindMount', b.name, { hostPath: b.path })),
    ...set.containers.map((c) => envelope('Container', c.name, containerSpec(c, how), c.labels)),
  ];
  return how.shuffleSeed === 0
    ? docs
    : docs.map((d) => shuffleKeys(d, random(how.shuffleSeed)) as Record<string, unknown>);
}

function containerSpec(c: AbstractContainer, how: Spelling): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    image: 'object' in c.image ? c.image.object : c.image.literal,
  };
  if (c.env.length > 0) {
    spec.env = how.envAsList
      ? c.env.map(([name, value]) => ({ name, value: literal(value) }))
      : literalEntries(c.env);
  }
  if (c.ports.length > 0)
    spec.ports = c.ports.map((p) => (how.portsLong ? portLong(p) : portShort(p)));
  if (c.networks.length > 0) {
    spec.networks = c.networks.map((n) =>
      n.aliases.length === 0 && !how.networksLong
        ? n.name
        : {
            network: n.name,
            aliases: how.shuffleSeed === 0 ? n.aliases : [...n.aliases].reverse(),
          },
    );
  }
  const mounts = [
    ...c.volumes.map((v) => ({ volume: v.name, target: v.target })),
    ...c.bindMounts.map((b) => ({ bindMount: b.name, target: b.target, readOnly: b.readOnly })),
  ];
  if (mounts.length > 0) spec.mounts = mounts;
  if (c.stopGraceSeconds !== undefined) {
    const s = c.stopGraceSeconds;
    spec.stopGracePeriod =
      how.durationStyle === 's' ? `${s}s` : how.durationStyle === 'ms' ? `${s * 1000}ms` : s;
  }
  if (c.memoryKi !== undefined)
    spec.resources = { memory: how.memoryAsBytes ? c.memoryKi * 1024 : `${c.memoryKi}Ki` };
  if (c.dependsOn.length > 0) spec.dependsOn = c.dependsOn.map((container) => ({ container }));
  return spec;
}

function portShort(p: AbstractPort): string {
  const host =
    p.hostPort === undefined ? '' : `${p.hostIP === '' ? '' : `${p.hostIP}:`}${p.hostPort}:`;
  return `${host}${p.containerPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`;
}

function portLong(p: AbstractPort): Record<string, unknown> {
  const long: Record<string, unknown> = { containerPort: p.containerPort, protocol: p.protocol };
  if (p.hostPort !== undefined) long.hostPort = p.hostPort;
  if (p.hostIP !== '') long.hostIP = p.hostIP;
  return long;
}

/** A small deterministic generator (LCG) so a shuffle is reproducible from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function shuffleKeys(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, next));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, next)]));
}

/** Multi-document YAML text of documents. */
export function toYaml(docs: unknown[]): string {
  return docs.map((d) => stringify(d)).join('---\n');
}
