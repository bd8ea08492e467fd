import { variablePath } from './variable-paths.js';
import { isRemoteContext } from '../build/remote-context.js';
import { buildSecrets } from './build-secrets.js';
import { buildCacheFrom } from './build-cache.js';
import { excludeFromHealthStatus } from './coolify.js';
import { gpuRequest } from './gpu-request.js';
import { isRecord, whereKey } from './located.js';
import { carryFileMounts, carryTmpfs, carryVolumes } from './mounts.js';
import type { ServiceWork } from './service-work.js';
import { carryDeploy, carryHealthcheck, carryLegacyResources, replicas } from './service-limits.js';
import { carryNetworking, finishDependsOn, finishNetworks } from './service-network.js';
import { stringLabels } from './shared.js';
import { addObject, berthName, lose, manifestPath } from './state.js';
import { carryEnvFiles, carryEnvironment } from './service-env.js';
import { restart, restartByDefault } from './service-restart.js';
import { carryMacAddress } from './service-mac.js';
import type { ImportState } from './state.js';
import { variableWithComposeDefault } from '../validate/typed-variables.js';
import {
  commandList,
  duration,
  flag,
  hasVariable,
  imageOrDefault,
  literalRef,
  quantity,
  text,
} from './values.js';

type Handler = (w: ServiceWork, value: unknown, key: string) => void;

const same =
  (field: string, convert: (v: unknown) => unknown = (v) => v): Handler =>
  (w, value) => {
    w.spec[field] = convert(value);
  };
const strings = (v: unknown) => (Array.isArray(v) ? v.map(text) : [text(v)]);
/**
 * `dns_search`: an empty domain adds nothing to the engine's `search` line, and only empty
 * ones (`dns_search: ""`, the OpenTelemetry demo's) clear the search domains: the engine
 * writes an empty `search` line into resolv.conf instead of the host's. berth's schema takes
 * no empty domain: empty ones are left out, and a list of only empty ones is written as `.`,
 * Docker's spelling of "no search domain" (no `search` line, none copied from the host).
 */
const searchDomains = (v: unknown) => {
  const written = strings(v);
  const domains = written.filter((d) => d.trim() !== '');
  return domains.length || !written.length ? domains : ['.'];
};
const stringMap = (v: unknown) =>
  Object.fromEntries(Object.entries(isRecord(v) ? v : {}).map(([k, x]) => [k, text(x)]));
/**
 * `extra_hosts`: a host mapped to several addresses (compose-spec: `{h: [ip1, ip2]}`, or the
 * host written twice in the list) becomes berth's list form, one `host:ip` per address.
 */
const extraHosts = (v: unknown) => {
  const hosts = Object.entries(isRecord(v) ? v : {});
  if (!hosts.some(([, ips]) => Array.isArray(ips))) return stringMap(v);
  return hosts.flatMap(([host, ips]) =>
    (Array.isArray(ips) ? ips : [ips]).map((ip) => `${host}:${text(ip)}`),
  );
};
const checked =
  (field: string, convert: (v: unknown) => unknown, why: string): Handler =>
  (w, value, key) => {
    const converted = convert(value);
    if (converted === undefined) lose(w.state, w.svc, key, path(w, key), why);
    else w.spec[field] = converted;
  };

const NOT_A_BOOLEAN = 'not true or false (nor a variable)';

/** Keys consumed elsewhere (loading, image, networking). */
// volumes_from: once every service is converted (volumes-from.ts).
const CONSUMED = new Set(['profiles', 'extends', 'image', 'build', 'pull_policy', 'volumes_from']);

const HANDLERS: Record<string, Handler> = {
  command: (w, v) => setIf(w.spec, 'args', commandList(v)),
  entrypoint: (w, v) => setIf(w.spec, 'command', commandList(v)),
  environment: (w, v, key) => carryEnvironment(w, v, key),
  env_file: (w, v) => carryEnvFiles(w, v as unknown[]),
  labels: (w, v) => Object.assign(w.labels, stringLabels(v)),
  volumes: (w, v) => carryVolumes(w, v as unknown[]),
  tmpfs: (w, v) => carryTmpfs(w, v as unknown[]),
  secrets: (w, v) => carryFileMounts(w, 'Secret', asList(v)),
  configs: (w, v) => carryFileMounts(w, 'Config', asList(v)),
  restart: (w, v, key) => restart(w, v, key),
  healthcheck: (w, v) => carryHealthcheck(w, v),
  deploy: (w, v) => carryDeploy(w, v),
  container_name: (w, v) => containerName(w, text(v)),
  hostname: (w, v, key) => hostname(w, text(v), key),
  domainname: same('domainname', text),
  dns: same('dns', strings),
  dns_search: same('dnsSearch', searchDomains),
  dns_opt: same('dnsOptions', strings),
  extra_hosts: same('extraHosts', extraHosts),
  cap_add: same('capAdd', strings),
  cap_drop: same('capDrop', strings),
  security_opt: same('securityOpt', strings),
  read_only: checked('readOnlyRootFilesystem', flag, NOT_A_BOOLEAN),
  privileged: checked('privileged', flag, NOT_A_BOOLEAN),
  init: checked('init', flag, NOT_A_BOOLEAN),
  tty: checked('tty', flag, NOT_A_BOOLEAN),
  stdin_open: checked('stdin', flag, NOT_A_BOOLEAN),
  stop_signal: same('stopSignal', text),
  stop_grace_period: checked('stopGracePeriod', duration, 'not a duration'),
  sysctls: same('sysctls', stringMap),
  ulimits: same('ulimits'),
  shm_size: checked('shmSize', quantity, 'not a size'),
  devices: same('devices', (v) => asList(v).map(device)),
  group_add: same('groupAdd', strings),
  logging: (w, v) => logging(w, v),
  platform: same('platform', text),
  runtime: same('runtime', text),
  user: same('user', text),
  working_dir: same('workingDir', text),
  expose: same('expose', (v) => asList(v).map((p) => (typeof p === 'number' ? p : text(p)))),
  scale: (w) => replicas(w, w.svc, path(w, 'scale')),
  gpus: checked('gpus', gpuRequest, 'only "all", a count or one device request can be carried'),
  mac_address: () => undefined, // carryMacAddress, once the networks are known
  // `attach` only chooses whose logs `docker compose up` (attached) streams; true is its
  // default, which `berth apply --attach` does for every container. false has no berth field.
  attach: (w, v, key) => {
    if (flag(v) !== true)
      lose(
        w.state,
        w.svc,
        key,
        path(w, key),
        'no berth field leaves a container out of berth apply --attach (name the others instead)',
      );
  },
  exclude_from_hc: (w, v) => {
    if (flag(v) !== false) excludeFromHealthStatus(w);
  },
};

/**
 * Compose's `container_name` names the engine's container; berth names every container
 * `<project>-<name>` (DESIGN.md, "Identity and ownership") and has no field for another
 * name. The name is kept as a network alias so other services still reach it by that name
 * (finishNetworks names the loss of the engine name); nothing is lost when the two agree.
 */
function containerName(w: ServiceWork, name: string): void {
  if (name !== `${w.state.projectName}-${w.name}`) w.aliases.push(name);
}

/**
 * Kept as written, as Compose passes it (`Config.Hostname`; the engine does not split
 * `host.example.org`, `hostname` inside prints all of it); what berth's schema takes: up to
 * 64 printable ASCII characters without spaces (schemas/container.schema.json).
 */
function hostname(w: ServiceWork, value: string, key: string): void {
  if (!/^[!-~]{1,64}$/.test(value))
    return lose(w.state, w.svc, key, path(w, key), `${value} is not a host name the engine keeps`);
  w.spec.hostname = value;
}

function path(w: ServiceWork, key: string): string {
  return `services.${w.service}.${key}`;
}

function setIf(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
}

/**
 * Converts one Compose service into a Container (plus the objects it uses). Fields with no
 * berth counterpart become losses at their position.
 */
export function convertService(
  state: ImportState,
  service: string,
  svc: Record<string, unknown>,
): void {
  const w: ServiceWork = {
    state,
    service,
    svc,
    name: berthName(state, 'service', service),
    spec: {},
    labels: {},
    notes: [],
    mounts: [],
    aliases: [],
  };
  if (!carryImage(w)) return;
  for (const [key, value] of Object.entries(svc)) {
    if (CONSUMED.has(key) || key.startsWith('x-') || value === null) continue;
    const handler = HANDLERS[key];
    if (handler) handler(w, value, key);
    else if (!carryNetworking(w, key, value) && !carryLegacyResources(w, key, value))
      lose(state, svc, key, path(w, key), unsupportedWhy(key));
  }
  if (
    !('restart' in svc) &&
    !isRecord((svc.deploy as Record<string, unknown> | undefined)?.restart_policy)
  )
    restartByDefault(w);
  finishNetworks(w);
  carryMacAddress(w);
  finishDependsOn(w);
  if (w.mounts.length) w.spec.mounts = w.mounts;
  addObject(state, {
    kind: 'Container',
    name: w.name,
    labels: Object.keys(w.labels).length ? w.labels : undefined,
    spec: w.spec,
    source: `services.${service}`,
    from: whereKey(state.project.services, service),
    notes: w.notes,
  });
}

const WHY: Record<string, string> = {
  develop: 'berth watch reconciles manifests; it does not sync source into containers',
  external_links: 'berth links nothing outside the project',
  userns_mode: 'no berth field',
  cgroup_parent: 'no berth field',
  post_start: 'no lifecycle hooks in berth',
  pre_start: 'no lifecycle hooks in berth',
  pre_stop: 'no lifecycle hooks in berth',
};

function unsupportedWhy(key: string): string {
  return WHY[key] ?? 'no berth Container field';
}

/** Sets the image (or the Image object to build); false when there is none to set. */
function carryImage(w: ServiceWork): boolean {
  const { svc, state } = w;
  const image = typeof svc.image === 'string' ? svc.image : undefined;
  if (svc.build !== undefined && isRecord(svc.build)) {
    w.spec.image = imageObject(w, svc.build, image);
    return true;
  }
  if (image === undefined) {
    // Only a provider service gets here (load refuses a service with neither): it runs nothing.
    lose(
      state,
      state.project.services,
      w.service,
      `services.${w.service}`,
      'a service with no image or build (a provider service) runs no container',
    );
    return false;
  }
  const policy = pullPolicy(svc.pull_policy);
  if (policy === undefined || policy === 'IfNotPresent') {
    if (svc.pull_policy !== undefined && policy === undefined)
      lose(
        state,
        svc,
        'pull_policy',
        path(w, 'pull_policy'),
        `pull policy ${text(svc.pull_policy)} has no berth counterpart`,
      );
    w.spec.image = literalRef(image);
    return true;
  }
  addObject(state, {
    kind: 'Image',
    name: w.name,
    spec: { ref: literalRef(image), pullPolicy: policy },
    source: `services.${w.service}.image`,
    from: whereKey(svc, 'image'),
    notes: [],
  });
  w.spec.image = w.name;
  return true;
}

/**
 * Compose's pull_policy as berth's; a variable with a default of Compose's words is kept as
 * written (berth takes those words for an interpolated pullPolicy, F136).
 */
function pullPolicy(value: unknown): string | undefined {
  if (typeof value === 'string' && variableWithComposeDefault(value, 'pullPolicy')) return value;
  if (value === undefined || value === 'missing' || value === 'if_not_present' || value === 'build')
    return 'IfNotPresent';
  if (value === 'always') return 'Always';
  if (value === 'never') return 'Never';
  return undefined;
}

const BUILD_KEYS = new Set([
  'context',
  'dockerfile',
  'dockerfile_inline',
  'args',
  'target',
  'secrets',
  'cache_from',
]);

function imageObject(
  w: ServiceWork,
  build: Record<string, unknown>,
  image: string | undefined,
): string {
  const { state } = w;
  const context = text(build.context);
  const notes: string[] = [];
  const spec: Record<string, unknown> = {
    context: copyContext(state, context, notes),
    ...(build.dockerfile !== undefined && { dockerfile: text(build.dockerfile) }),
    ...(build.dockerfile_inline !== undefined && {
      dockerfileInline: text(build.dockerfile_inline),
    }),
    ...(isRecord(build.args) && {
      args: Object.fromEntries(
        Object.entries(build.args).map(([k, v]) => [k, v === null ? `\${${k}}` : text(v)]),
      ),
    }),
    ...(build.target !== undefined && { target: text(build.target) }),
  };
  const secrets = buildSecrets(state, w.service, build.secrets, notes);
  if (secrets.length) spec.secrets = secrets;
  const cacheFrom = buildCacheFrom(state, w.service, build.cache_from);
  if (cacheFrom) spec.cacheFrom = cacheFrom;
  for (const k of Object.keys(build))
    if (!BUILD_KEYS.has(k) && !k.startsWith('x-'))
      lose(state, build, k, `services.${w.service}.build.${k}`, 'no berth Image build field');
  if (spec.dockerfileInline !== undefined && isRemoteContext(context)) {
    // BuildKit (buildx) sends it over a session; the engine's build API has no such input.
    delete spec.dockerfileInline;
    lose(
      state,
      build,
      'dockerfile_inline',
      `services.${w.service}.build.dockerfile_inline`,
      "berth sends no Dockerfile with a remote context: the engine builds the repository's own",
    );
  }
  const fallback = `${state.projectName}-${w.name}:latest`;
  const ref = image ? imageOrDefault(literalRef(image), fallback) : fallback;
  for (const built of [ref, ...(image ? [literalRef(image)] : [])])
    if (!state.builtRefs.has(built))
      state.builtRefs.set(built, { name: w.name, service: w.service });
  addObject(state, {
    kind: 'Image',
    name: w.name,
    spec: { ref, build: spec },
    source: `services.${w.service}.build`,
    from: whereKey(w.svc, 'build'),
    notes,
  });
  return w.name;
}

function copyContext(state: ImportState, context: string, notes: string[]): string {
  const fromVariable = variablePath(state, context, 'build.context');
  if (fromVariable) notes.push(fromVariable.note);
  if (fromVariable) return manifestPath(state, fromVariable.absolute);
  return hasVariable(context) ? context : manifestPath(state, context);
}

function device(value: unknown): string {
  if (!isRecord(value)) return text(value);
  const parts = [text(value.source), ...(value.target ? [text(value.target)] : [])];
  return value.permissions ? `${parts.join(':')}:${text(value.permissions)}` : parts.join(':');
}

function logging(w: ServiceWork, value: unknown): void {
  if (!isRecord(value)) return;
  w.spec.logging = {
    ...(value.driver !== undefined && { driver: text(value.driver) }),
    ...(isRecord(value.options) && { options: stringMap(value.options) }),
  };
}
