import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../specs/index.js';
import { formatLoss } from './k8s-loss.js';
import { exportKubernetes } from './kubernetes.js';
import type { K8sObject } from './k8s-pod.js';

/** Deep access into exported objects, for assertions only. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = K8sObject & { spec: any };

/** Validates an object against the Kubernetes OpenAPI schema shipped by kubernetes-models. */
async function validateK8s(object: K8sObject): Promise<void> {
  const group = object.apiVersion === 'v1' ? 'v1' : object.apiVersion;
  const module = (await import(`kubernetes-models/${group}/${object.kind}`)) as Record<
    string,
    new (o: unknown) => { validate(): void }
  >;
  const Model = module[object.kind] ?? module.default;
  if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-export-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function exportOf(name: string, yaml: string) {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'Dockerfile'), 'FROM localhost/berth-busybox:1\n');
  await writeFile(join(dir, name, 'app.yaml'), yaml);
  const loaded = await loadManifests([join(dir, name)]);
  expect(loaded.problems).toEqual([]);
  return exportKubernetes(loaded.set.objects, 'shop');
}

const WEB = `apiVersion: berth/v1
kind: Container
metadata: {name: web, labels: {tier: front}}
spec:
  image: localhost/web:1
  replicas: 3
  command: [httpd]
  args: ["-f", "-p", "8080"]
  env: {MODE: prod, ZIP: "01234"}
  ports: [{containerPort: 8080}]
  healthcheck: {command: [CMD-SHELL, "wget -q -O- http://localhost:8080/"], interval: 5s, timeout: 2s, retries: 3, startPeriod: 10s}
  resources: {memory: 256Mi, cpus: 0.5}
  user: "1000:1000"
  mounts:
    - {bindMount: site, target: /srv, readOnly: true}
    - {volume: shared, target: /shared, readOnly: true}
    - {tmpfs: /tmp}
---
apiVersion: berth/v1
kind: BindMount
metadata: {name: site}
spec: {hostPath: ./site}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: shared}
spec: {}
`;

const DB = `apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec:
  image: localhost/db:1
  ports: ["127.0.0.1:5432:5432"]
  mounts: [{volume: data, target: /var/lib/db}]
---
apiVersion: berth/v1
kind: Volume
metadata: {name: data}
spec: {}
`;

describe('berth export kubernetes', () => {
  it('maps a container with replicas, probes, ports, resources and mounts onto a Deployment and a Service the API server schema accepts', async () => {
    const result = await exportOf('web', WEB);
    expect(result.losses.map(formatLoss)).toEqual([]);
    const kinds = result.documents.map((d) => `${d.object.kind}/${d.object.metadata.name}`);
    expect(kinds).toEqual(['Deployment/web', 'Service/web', 'PersistentVolumeClaim/shared']);
    for (const d of result.documents) await validateK8s(d.object);
    const deployment = result.documents[0]!.object as Loose;
    expect(deployment.spec.replicas).toBe(3);
    const c = deployment.spec.template.spec.containers[0];
    expect(c).toMatchObject({
      name: 'web',
      image: 'localhost/web:1',
      command: ['httpd'],
      args: ['-f', '-p', '8080'],
      env: [
        { name: 'MODE', value: 'prod' },
        { name: 'ZIP', value: '01234' },
      ],
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      resources: { limits: { memory: String(256 * 1024 * 1024), cpu: '500m' } },
      securityContext: { runAsUser: 1000, runAsGroup: 1000 },
    });
    expect(c.readinessProbe.exec.command).toEqual([
      '/bin/sh',
      '-c',
      'wget -q -O- http://localhost:8080/',
    ]);
    expect(c.readinessProbe).toMatchObject({
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 3,
      initialDelaySeconds: 10,
    });
    expect(deployment.metadata).toMatchObject({ annotations: { tier: 'front' } });
    const service = result.documents[1]!.object as Loose;
    expect(service.spec).toMatchObject({
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'web' },
    });
  });

  it('makes a StatefulSet with a claim template for a container that writes a named volume', async () => {
    const result = await exportOf('db', DB);
    expect(result.losses).toEqual([]);
    const workload = result.documents[0]!.object as Loose;
    expect(workload.kind).toBe('StatefulSet');
    expect(workload.spec.serviceName).toBe('db');
    expect(workload.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(workload.spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 5432, protocol: 'TCP', hostPort: 5432, hostIP: '127.0.0.1' },
    ]);
    for (const d of result.documents) await validateK8s(d.object);
  });

  it('names what it cannot carry with file:line:col, and still writes valid objects', async () => {
    const result = await exportOf(
      'lossy',
      `apiVersion: berth/v1
kind: Container
metadata: {name: job}
spec:
  image: localhost/job:1
  state: exited
  restartPolicy: Never
  user: nobody
  dependsOn: [{container: db, condition: healthy}]
---
apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec:
  image: localhost/db:1
  healthcheck: {command: [CMD, "true"]}
---
apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec: {ref: "localhost/app:1", build: {context: .}}
`,
    );
    const lines = result.losses.map(formatLoss);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /lossy\/app\.yaml:2:1: Container\/job: spec\.state: not carried: exited/,
        ),
        expect.stringMatching(/Container\/job: spec\.restartPolicy: not carried/),
        expect.stringMatching(/Container\/job: spec\.user: not carried/),
        expect.stringMatching(/Container\/job: spec\.dependsOn: not carried/),
        expect.stringMatching(/app\.yaml:\d+:1: Image\/app: spec\.build: not carried/),
      ]),
    );
    for (const d of result.documents) await validateK8s(d.object);
  });

  it('the schema check itself rejects a broken object (the test can fail)', async () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { template: {} },
    };
    await expect(validateK8s(broken as K8sObject)).rejects.toThrow(/selector/);
  });
});
