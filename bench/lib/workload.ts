import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The one image every tool runs: local only, so nothing is ever pulled. */
export const BENCH_IMAGE = process.env.BERTH_TEST_IMAGE ?? 'localhost/berth-busybox:1';

/** The same workload, whichever tool runs it (issue 7, "the same workload for every tool"). */
export interface Workload {
  /** Engine names start with `<project>-`; always starts with `bench-` so cleanup finds it. */
  project: string;
  /** Number of containers. */
  n: number;
  /** Run the engine's init as PID 1, so a stop takes milliseconds instead of the 10 s grace. */
  init: boolean;
  /** Value of the one env var (BENCH_MODE) on every container. */
  envValue: string;
  /** When set, container `index` gets this BENCH_MODE instead: "change one env var". */
  changed?: { index: number; value: string };
  /** Desired state of every container; `created` holds many objects without a process each. */
  state: 'running' | 'created';
  /** Absolute host folder bind-mounted read-only at /srv in every container. */
  siteDir: string;
  /**
   * berth's `spec.update` of every container (berth only; compose has no such thing). Unset:
   * berth's default, start-first with a 3 s minReady gate.
   */
  update?: { order: 'start-first' | 'stop-first'; minReady: string };
  /**
   * berth only, for validate: every container also sets many of the second wave's fields
   * (issue 12: "validate of 1,000 objects using many of the new fields stays within the bar").
   */
  manyFields?: boolean;
}

export const NETWORK = 'net';
export const BIND_MOUNT = 'site';

/** Container names c001, c002…: the berth metadata name and the compose service name. */
export function containerNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(3, '0')}`);
}

export function envValueAt(w: Workload, index: number): string {
  return w.changed?.index === index ? w.changed.value : w.envValue;
}

/** The berth manifest: one network, one bind mount, n containers, as one multi-document YAML. */
export function berthManifest(w: Workload): string {
  const head = [
    doc('Network', NETWORK, ['  driver: bridge']),
    doc('BindMount', BIND_MOUNT, [`  hostPath: ${JSON.stringify(w.siteDir)}`, '  type: Directory']),
  ];
  const containers = containerNames(w.n).map((name, i) =>
    doc('Container', name, [
      `  image: ${BENCH_IMAGE}`,
      `  state: ${w.state}`,
      ...(w.init ? ['  init: true'] : []),
      '  command: [sleep, "3600"]',
      `  env: {BENCH_MODE: ${JSON.stringify(envValueAt(w, i))}}`,
      `  networks: [${NETWORK}]`,
      `  mounts: [{bindMount: ${BIND_MOUNT}, target: /srv, readOnly: true}${w.manyFields ? ', {tmpfs: /run, size: 16Mi, mode: "1777"}' : ''}]`,
      '  restartPolicy: Always',
      ...(w.update ? [`  update: {order: ${w.update.order}, minReady: ${w.update.minReady}}`] : []),
      ...(w.manyFields ? manyFieldLines(i) : []),
    ]),
  );
  return [...head, ...containers].join('---\n');
}

/**
 * Second-wave Container fields (DESIGN "More of the container model"), valid under the
 * baseline policy, with a per-container host port so no two clash.
 */
function manyFieldLines(index: number): string[] {
  return [
    `  hostname: host-${index}`,
    '  domainname: example.internal',
    '  dns: [10.0.0.2]',
    '  dnsSearch: [example.internal]',
    '  dnsOptions: [ndots:2]',
    '  extraHosts: ["db.local:10.0.0.3"]',
    `  ports: ["127.0.0.1:${20000 + index}:8080", "9000-9001/udp"]`,
    '  expose: [8081]',
    '  capAdd: [NET_ADMIN]',
    '  capDrop: [MKNOD]',
    '  securityOpt: ["no-new-privileges:true"]',
    '  readOnlyRootFilesystem: true',
    '  tty: true',
    '  stopSignal: SIGINT',
    '  stopGracePeriod: 5s',
    '  sysctls: {net.core.somaxconn: "1024"}',
    '  ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}',
    '  shmSize: 64Mi',
    '  logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}',
    '  resources: {memory: 128Mi, cpus: 0.5, pids: 100}',
    '  user: "1000:1000"',
    '  workingDir: /srv',
    '  healthcheck: {command: [CMD, "true"], interval: 5s, timeout: 2s, retries: 3}',
  ];
}

function doc(kind: string, name: string, spec: string[]): string {
  return [
    'apiVersion: berth/v1',
    `kind: ${kind}`,
    `metadata: {name: ${name}}`,
    'spec:',
    ...spec,
    '',
  ].join('\n');
}

/**
 * The equivalent docker-compose file (format 2.4, which 1.29 reads). container_name and the
 * network's name give the engine objects the names berth would give them in the same project.
 */
export function composeFile(w: Workload): string {
  const services = containerNames(w.n).flatMap((name, i) => [
    `  ${name}:`,
    `    image: ${BENCH_IMAGE}`,
    `    container_name: ${w.project}-${name}`,
    ...(w.init ? ['    init: true'] : []),
    '    command: [sleep, "3600"]',
    `    environment: {BENCH_MODE: ${JSON.stringify(envValueAt(w, i))}}`,
    `    networks: [${NETWORK}]`,
    `    volumes: [${JSON.stringify(`${w.siteDir}:/srv:ro`)}]`,
    '    restart: unless-stopped',
  ]);
  return [
    'version: "2.4"',
    'services:',
    ...services,
    'networks:',
    `  ${NETWORK}:`,
    `    name: ${w.project}-${NETWORK}`,
    '',
  ].join('\n');
}

/**
 * Writes the workload under `dir`: `berth/objects.yaml` and `compose/docker-compose.yml`,
 * and creates the bind-mounted site folder. Returns the two paths.
 */
export function writeWorkload(dir: string, w: Workload): { berthDir: string; composeFile: string } {
  const berthDir = join(dir, 'berth');
  const composeDir = join(dir, 'compose');
  mkdirSync(berthDir, { recursive: true });
  mkdirSync(composeDir, { recursive: true });
  mkdirSync(w.siteDir, { recursive: true });
  writeFileSync(join(w.siteDir, 'index.html'), 'bench\n');
  // One file holds it all, except with many fields: that is past the 1 MiB a manifest file
  // may be, so it is split as a user would, 100 documents a file.
  const documents = berthManifest(w).split('---\n');
  const perFile = w.manyFields ? 100 : documents.length;
  for (let i = 0; i < documents.length; i += perFile)
    writeFileSync(
      join(
        berthDir,
        perFile === documents.length
          ? 'objects.yaml'
          : `objects-${String(i / perFile + 1).padStart(2, '0')}.yaml`,
      ),
      documents.slice(i, i + perFile).join('---\n'),
    );
  const composePath = join(composeDir, 'docker-compose.yml');
  writeFileSync(composePath, composeFile(w));
  return { berthDir, composeFile: composePath };
}
