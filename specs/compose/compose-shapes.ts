import { ANY, fields, list, map, oneOf, scalar } from './shape.js';
import type { Shape } from './shape.js';

// The kinds of value every place of a Compose file takes, written after the compose-spec JSON
// schema (compose-spec/compose-spec `schema/compose-spec.json`, whose types docker compose
// enforces: `services.w.user must be a string`) and the v2 fields docker-compose still reads.
// Only lists and mappings are told apart from scalars (shape.ts); a scalar's own type is
// left to the checks of its value.

const STRING = scalar('a string');
const NUMBER = scalar('a number or a string');
const BOOL = scalar('true or false');
const VALUE = scalar('a string, a number, true or false or null');

const STRINGS = list(STRING);
const STRING_OR_LIST = oneOf(STRING, STRINGS);
/** compose-spec `list_or_dict`: `[K=V, …]` or `{K: V}`. */
const LIST_OR_DICT = oneOf(map(VALUE), STRINGS);
/** compose-spec `command`. */
const COMMAND = oneOf(STRING, STRINGS);
/** compose-spec `extra_hosts`: a host may map to several addresses. */
const EXTRA_HOSTS = oneOf(map(oneOf(STRING, STRINGS)), STRINGS);
const ULIMITS = map(oneOf(NUMBER, fields({ soft: NUMBER, hard: NUMBER })));
const OPTIONS = map(scalar('a string or a number'));
/** compose-spec `service_config_or_secret`. */
const CONFIG_OR_SECRET = list(
  oneOf(STRING, fields({ source: STRING, target: STRING, uid: STRING, gid: STRING, mode: NUMBER })),
);
const DEVICE_REQUESTS = list(
  fields({
    capabilities: STRINGS,
    count: NUMBER,
    device_ids: STRINGS,
    driver: STRING,
    options: LIST_OR_DICT,
  }),
);
const HOOK = fields({
  command: COMMAND,
  user: STRING,
  privileged: BOOL,
  working_dir: STRING,
  environment: LIST_OR_DICT,
});
const UPDATE_CONFIG = fields({
  parallelism: NUMBER,
  delay: STRING,
  failure_action: STRING,
  monitor: STRING,
  max_failure_ratio: NUMBER,
  order: STRING,
});
const BLKIO_LIMITS = list(fields({ path: STRING, rate: NUMBER }));
const EXTERNAL = oneOf(BOOL, fields({ name: STRING }));

const BUILD = oneOf(
  STRING,
  fields({
    context: STRING,
    dockerfile: STRING,
    dockerfile_inline: STRING,
    entitlements: STRINGS,
    args: LIST_OR_DICT,
    ssh: LIST_OR_DICT,
    labels: LIST_OR_DICT,
    cache_from: STRINGS,
    cache_to: STRINGS,
    no_cache: BOOL,
    additional_contexts: LIST_OR_DICT,
    network: STRING,
    provenance: BOOL,
    sbom: BOOL,
    pull: BOOL,
    target: STRING,
    shm_size: NUMBER,
    extra_hosts: EXTRA_HOSTS,
    isolation: STRING,
    privileged: BOOL,
    secrets: CONFIG_OR_SECRET,
    tags: STRINGS,
    ulimits: ULIMITS,
    platforms: STRINGS,
  }),
);

const DEPLOY = fields({
  mode: STRING,
  endpoint_mode: STRING,
  replicas: NUMBER,
  labels: LIST_OR_DICT,
  rollback_config: UPDATE_CONFIG,
  update_config: UPDATE_CONFIG,
  resources: fields({
    limits: fields({ cpus: NUMBER, memory: NUMBER, pids: NUMBER }),
    reservations: fields({
      cpus: NUMBER,
      memory: NUMBER,
      generic_resources: list(
        fields({ discrete_resource_spec: fields({ kind: STRING, value: NUMBER }) }),
      ),
      devices: DEVICE_REQUESTS,
    }),
  }),
  restart_policy: fields({
    condition: STRING,
    delay: STRING,
    max_attempts: NUMBER,
    window: STRING,
  }),
  placement: fields({
    constraints: STRINGS,
    preferences: list(fields({ spread: STRING })),
    max_replicas_per_node: NUMBER,
  }),
});

const SERVICE_NETWORK = fields({
  aliases: STRINGS,
  interface_name: STRING,
  ipv4_address: STRING,
  ipv6_address: STRING,
  link_local_ips: STRINGS,
  mac_address: STRING,
  driver_opts: OPTIONS,
  priority: NUMBER,
  gw_priority: NUMBER,
});

const PORT = fields({
  name: STRING,
  mode: STRING,
  host_ip: STRING,
  target: NUMBER,
  published: NUMBER,
  protocol: STRING,
  app_protocol: STRING,
});

const VOLUME_MOUNT = fields({
  type: STRING,
  source: STRING,
  target: STRING,
  read_only: BOOL,
  consistency: STRING,
  bind: fields({ propagation: STRING, create_host_path: BOOL, recursive: STRING, selinux: STRING }),
  volume: fields({ labels: LIST_OR_DICT, nocopy: BOOL, subpath: STRING }),
  tmpfs: fields({ size: NUMBER, mode: NUMBER }),
  image: fields({ subpath: STRING }),
});

/** Fields whose values are plain text, numbers or switches (compose-spec service). */
const SCALAR_FIELDS: Record<string, Shape> = Object.fromEntries([
  ...[
    'cgroup',
    'cgroup_parent',
    'container_name',
    'cpuset',
    'dockerfile',
    'domainname',
    'hostname',
    'image',
    'ipc',
    'isolation',
    'log_driver',
    'mac_address',
    'net',
    'network_mode',
    'pid',
    'platform',
    'pull_policy',
    'pull_refresh_after',
    'restart',
    'runtime',
    'stop_grace_period',
    'stop_signal',
    'user',
    'userns_mode',
    'uts',
    'volume_driver',
    'working_dir',
  ].map((key) => [key, STRING]),
  ...[
    'cpu_count',
    'cpu_percent',
    'cpu_shares',
    'cpu_quota',
    'cpu_period',
    'cpu_rt_period',
    'cpu_rt_runtime',
    'cpus',
    'mem_limit',
    'mem_reservation',
    'mem_swappiness',
    'memswap_limit',
    'oom_score_adj',
    'pids_limit',
    'scale',
    'shm_size',
  ].map((key) => [key, NUMBER]),
  ...[
    'attach',
    'init',
    'oom_kill_disable',
    'privileged',
    'read_only',
    'stdin_open',
    'tty',
    'use_api_socket',
  ].map((key) => [key, BOOL]),
]);

/** A service (compose-spec `service`). */
const SERVICE = fields({
  ...SCALAR_FIELDS,
  annotations: LIST_OR_DICT,
  blkio_config: fields({
    device_read_bps: BLKIO_LIMITS,
    device_read_iops: BLKIO_LIMITS,
    device_write_bps: BLKIO_LIMITS,
    device_write_iops: BLKIO_LIMITS,
    weight: NUMBER,
    weight_device: list(fields({ path: STRING, weight: NUMBER })),
  }),
  build: BUILD,
  cap_add: STRINGS,
  cap_drop: STRINGS,
  command: COMMAND,
  configs: CONFIG_OR_SECRET,
  credential_spec: fields({ config: STRING, file: STRING, registry: STRING }),
  depends_on: oneOf(STRINGS, map(fields({ restart: BOOL, required: BOOL, condition: STRING }))),
  deploy: DEPLOY,
  develop: fields({
    watch: list(
      fields({
        ignore: STRING_OR_LIST,
        include: STRING_OR_LIST,
        path: STRING,
        action: STRING,
        target: STRING,
        exec: HOOK,
        initial_sync: BOOL,
      }),
    ),
  }),
  device_cgroup_rules: STRINGS,
  devices: list(oneOf(STRING, fields({ source: STRING, target: STRING, permissions: STRING }))),
  dns: STRING_OR_LIST,
  dns_opt: STRINGS,
  dns_search: STRING_OR_LIST,
  entrypoint: COMMAND,
  env_file: oneOf(
    STRING,
    list(oneOf(STRING, fields({ path: STRING, format: STRING, required: BOOL }))),
  ),
  environment: LIST_OR_DICT,
  expose: STRINGS,
  extends: oneOf(STRING, fields({ service: STRING, file: STRING })),
  external_links: STRINGS,
  extra_hosts: EXTRA_HOSTS,
  gpus: oneOf(STRING, DEVICE_REQUESTS),
  group_add: STRINGS,
  healthcheck: fields({
    disable: BOOL,
    interval: STRING,
    retries: NUMBER,
    test: COMMAND,
    timeout: STRING,
    start_period: STRING,
    start_interval: STRING,
  }),
  label_file: STRING_OR_LIST,
  labels: LIST_OR_DICT,
  links: STRINGS,
  log_opt: OPTIONS,
  logging: fields({ driver: STRING, options: OPTIONS }),
  models: oneOf(STRINGS, map(fields({ endpoint_var: STRING, model_var: STRING }))),
  networks: oneOf(STRINGS, map(SERVICE_NETWORK)),
  ports: list(oneOf(STRING, PORT)),
  post_start: list(HOOK),
  pre_start: list(HOOK),
  pre_stop: list(HOOK),
  profiles: STRINGS,
  provider: fields({ type: STRING, options: map(oneOf(VALUE, list(VALUE))) }),
  secrets: CONFIG_OR_SECRET,
  security_opt: STRINGS,
  storage_opt: map(ANY),
  sysctls: LIST_OR_DICT,
  tmpfs: STRING_OR_LIST,
  ulimits: ULIMITS,
  volumes: list(oneOf(STRING, VOLUME_MOUNT)),
  volumes_from: STRINGS,
});

const DRIVER_OPTS = OPTIONS;

/** A Compose file: the top level and its five sections (compose-spec root and definitions). */
export const COMPOSE_FILE: Shape = fields({
  version: STRING,
  name: STRING,
  services: map(SERVICE),
  networks: map(
    fields({
      name: STRING,
      driver: STRING,
      driver_opts: DRIVER_OPTS,
      ipam: fields({
        driver: STRING,
        config: list(
          fields({
            subnet: STRING,
            ip_range: STRING,
            gateway: STRING,
            aux_addresses: map(STRING),
          }),
        ),
        options: map(STRING),
      }),
      external: EXTERNAL,
      internal: BOOL,
      enable_ipv4: BOOL,
      enable_ipv6: BOOL,
      attachable: BOOL,
      labels: LIST_OR_DICT,
    }),
  ),
  volumes: map(
    fields({
      name: STRING,
      driver: STRING,
      driver_opts: DRIVER_OPTS,
      external: EXTERNAL,
      labels: LIST_OR_DICT,
    }),
  ),
  secrets: map(
    fields({
      name: STRING,
      environment: STRING,
      file: STRING,
      external: EXTERNAL,
      labels: LIST_OR_DICT,
      driver: STRING,
      driver_opts: DRIVER_OPTS,
      template_driver: STRING,
    }),
  ),
  configs: map(
    fields({
      name: STRING,
      content: STRING,
      environment: STRING,
      file: STRING,
      external: EXTERNAL,
      labels: LIST_OR_DICT,
      template_driver: STRING,
    }),
  ),
});
