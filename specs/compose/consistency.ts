import { closestMatch } from '../validate/suggest.js';
import { dependencyCycles } from './dependency-cycles.js';
import type { ComposeProject } from './load.js';
import { isRecord, whereKey, whereNode } from './located.js';
import type { ComposeProblem, Where } from './located.js';
import { looksLikePath, splitVolume } from './normalise.js';
import { checkValues } from './value-checks.js';
import { checkBuildContext } from './build-context-check.js';
import type { Report } from './value-checks.js';
import { checkMountTargets } from './mount-targets.js';

/**
 * What `docker compose` refuses in a loaded project before it creates anything, each at the
 * position of the offending field: references to networks, volumes, secrets, configs and
 * services that are not declared (compose-go `loader/validate.go` checkConsistency, whose
 * wording the messages keep), start-order cycles (dependency-cycles.ts), and values no engine takes (see value-checks.ts). Every
 * problem is returned, in file order; values holding a `${…}` are checked only after
 * interpolation, by `berth validate`, so they are skipped here.
 */
export function checkProject(project: ComposeProject, fallback: Where): ComposeProblem[] {
  const problems: ComposeProblem[] = [];
  for (const [service, svc] of Object.entries(project.services)) {
    const at = whereKey(project.services, service) ?? whereNode(svc) ?? fallback;
    const report: Report = (tree, key, code, message) =>
      problems.push({ where: whereKey(tree, key) ?? at, message, code });
    const check: ServiceCheck = { project, service, svc, report };
    checkNetworks(check);
    checkVolumes(check);
    checkFileRefs(check);
    checkDependsOn(check);
    checkNetworkMode(check);
    checkStaticAddresses(check);
    checkValues(svc, service, report);
    checkMountTargets(service, svc, report);
    checkBuildContext(service, svc, project.dir, report);
  }
  problems.push(...dependencyCycles(project, fallback));
  return problems.sort(byPosition);
}

/** Orders problems and losses by file, line and column. */
export function byPosition(a: { where: Where }, b: { where: Where }): number {
  return (
    a.where.file.localeCompare(b.where.file) ||
    a.where.line - b.where.line ||
    a.where.column - b.where.column
  );
}

interface ServiceCheck {
  project: ComposeProject;
  service: string;
  svc: Record<string, unknown>;
  report: Report;
}

const hasDollar = (value: string) => value.includes('$');

/** `; did you mean "x"?` when a declared name is one typo away, else ''. */
function didYouMean(name: string, declared: readonly string[]): string {
  const close = closestMatch(name, declared);
  return close === undefined ? '' : `; did you mean "${close}"?`;
}

function checkNetworks({ project, service, svc, report }: ServiceCheck): void {
  if (!isRecord(svc.networks)) return;
  const declared = Object.keys(project.networks);
  for (const ref of namedReferences(service, svc))
    if (ref.section === 'networks' && !(ref.name in project.networks))
      report(
        ref.tree,
        ref.key,
        'E_REFERENCE',
        `service "${service}" refers to undefined network ${ref.name}: declare it under the top-level "networks:"${didYouMean(ref.name, declared)}`,
      );
  if (svc.network_mode !== undefined && svc.network_mode !== null)
    report(
      svc,
      'network_mode',
      'E_EXCLUSIVE',
      `service "${service}" declares mutually exclusive network_mode and networks`,
    );
}

/** A network or named volume a service names: where the reference sits, and its path. */
export interface NamedReference {
  section: 'networks' | 'volumes';
  name: string;
  /** The mapping or list holding the reference, and its key there (for positions). */
  tree: unknown;
  key: string | number;
  /** `services.web.networks.back`, `services.web.volumes[0]`. */
  path: string;
}

/**
 * The networks (but `default`) and named volumes `svc` refers to, declared or not, in file
 * order; names holding a `${…}` are left out (checked after interpolation, by validate).
 */
export function namedReferences(service: string, svc: Record<string, unknown>): NamedReference[] {
  const refs: NamedReference[] = [];
  const { networks, volumes } = svc;
  if (isRecord(networks))
    for (const name of Object.keys(networks))
      if (name !== 'default' && !hasDollar(name))
        refs.push({
          section: 'networks',
          name,
          tree: networks,
          key: name,
          path: `services.${service}.networks.${name}`,
        });
  if (Array.isArray(volumes))
    volumes.forEach((entry, i) => {
      const name = namedVolume(entry);
      if (name !== undefined && !hasDollar(name))
        refs.push({
          section: 'volumes',
          name,
          tree: volumes,
          key: i,
          path: `services.${service}.volumes[${i}]`,
        });
    });
  return refs;
}

/** The named volume a `volumes:` entry uses, undefined for binds, tmpfs and anonymous ones. */
function namedVolume(entry: unknown): string | undefined {
  if (typeof entry === 'string') {
    const parts = splitVolume(entry);
    const source = parts[0] ?? '';
    return parts.length > 1 && source !== '' && !looksLikePath(source) ? source : undefined;
  }
  if (!isRecord(entry) || typeof entry.source !== 'string' || entry.source === '') return undefined;
  if (entry.type === 'volume') return entry.source;
  return entry.type === undefined && !looksLikePath(entry.source) ? entry.source : undefined;
}

function checkVolumes({ project, service, svc, report }: ServiceCheck): void {
  const declared = Object.keys(project.volumes);
  for (const ref of namedReferences(service, svc))
    if (ref.section === 'volumes' && !(ref.name in project.volumes))
      report(
        ref.tree,
        ref.key,
        'E_REFERENCE',
        `service "${service}" refers to undefined volume ${ref.name}: declare it under the top-level "volumes:" (a host path starts with ./, / or ~)${didYouMean(ref.name, declared)}`,
      );
}

/** `secrets:`, `configs:` and `build.secrets:` name top-level secrets and configs. */
function checkFileRefs({ project, service, svc, report }: ServiceCheck): void {
  const lists: [unknown, 'secret' | 'config', string][] = [
    [svc.secrets, 'secret', ''],
    [svc.configs, 'config', ''],
    [isRecord(svc.build) ? svc.build.secrets : undefined, 'secret', 'build '],
  ];
  for (const [list, kind, what] of lists) {
    if (!Array.isArray(list)) continue;
    const section = kind === 'secret' ? project.secrets : project.configs;
    list.forEach((entry, i) => {
      const source = isRecord(entry) ? entry.source : entry;
      if (typeof source !== 'string' || source in section || hasDollar(source)) return;
      report(
        list,
        i,
        'E_REFERENCE',
        `service "${service}" refers to undefined ${what}${kind} ${source}: declare it under the top-level "${kind}s:"${didYouMean(source, Object.keys(section))}`,
      );
    });
  }
}

/**
 * A dependency must be a service of the project; one left out by its profile is refused
 * unless it is marked `required: false` (as compose-go does). A fragment without image or
 * build is left to the converter (it names it as a loss).
 */
function checkDependsOn({ project, service, svc, report }: ServiceCheck): void {
  const deps = svc.depends_on;
  if (!isRecord(deps)) return;
  for (const [name, options] of Object.entries(deps)) {
    if (name in project.services || hasDollar(name)) continue;
    if (project.partial.some((p) => p.name === name)) continue;
    if (project.inactive.includes(name)) {
      if (isRecord(options) && options.required === false) continue;
      report(
        deps,
        name,
        'E_REFERENCE',
        `service "${service}" depends on service "${name}", which is not in an active profile (import with --profile, or mark the dependency required: false)`,
      );
      continue;
    }
    const others = Object.keys(project.services).filter((s) => s !== service);
    report(
      deps,
      name,
      'E_REFERENCE',
      `service "${service}" depends on undefined service "${name}"${didYouMean(name, others)}`,
    );
  }
}

function checkNetworkMode({ project, service, svc, report }: ServiceCheck): void {
  const mode = svc.network_mode;
  if (typeof mode !== 'string' || !mode.startsWith('service:') || hasDollar(mode)) return;
  const name = mode.slice('service:'.length);
  if (name in project.services || project.partial.some((p) => p.name === name)) return;
  const why = project.inactive.includes(name) ? ', which is not in an active profile' : '';
  report(
    svc,
    'network_mode',
    'E_REFERENCE',
    `service "${service}": no service "${name}" for network_mode 'service:${name}'${why}`,
  );
}

/**
 * `ipv4_address` / `ipv6_address` on a network whose IPAM declares no subnet of that
 * family: the engine refuses the container ("user specified IP address is supported only
 * when connecting to networks with user configured subnets", daemon validateNetworkingConfig),
 * so docker compose up fails. The implicit `default` network has no subnet; an external
 * network's subnet is set where it was made, so the engine checks those.
 */
function checkStaticAddresses({ project, service, svc, report }: ServiceCheck): void {
  const networks = svc.networks;
  if (!isRecord(networks)) return;
  for (const [name, options] of Object.entries(networks)) {
    if (!isRecord(options)) continue;
    const network = project.networks[name];
    if (isRecord(network) && network.external !== undefined && network.external !== false) continue;
    const subnets = declaredSubnets(network);
    for (const [key, family, v6] of [
      ['ipv4_address', 'IPv4', false],
      ['ipv6_address', 'IPv6', true],
    ] as const) {
      const address = options[key];
      if (typeof address !== 'string' || hasDollar(address)) continue;
      if (subnets.some((subnet) => hasDollar(subnet) || subnet.includes(':') === v6)) continue;
      report(
        options,
        key,
        'E_ADDRESS',
        `service "${service}" sets ${key} ${address} on network ${name}, whose ipam declares no ${family} subnet: ` +
          'user specified IP address is supported only when connecting to networks with user configured subnets ' +
          `(add ipam.config: [{subnet: …}] to networks.${name})`,
      );
    }
  }
}

/** The `subnet`s of a network's `ipam.config` entries. */
function declaredSubnets(network: unknown): string[] {
  const ipam = isRecord(network) ? network.ipam : undefined;
  const configs = isRecord(ipam) && Array.isArray(ipam.config) ? ipam.config : [];
  return configs.flatMap((c) => (isRecord(c) && typeof c.subnet === 'string' ? [c.subnet] : []));
}
