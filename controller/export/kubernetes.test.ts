import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../specs/index.js';
import { formatLoss } from './k8s-loss.js';
import { exportKubernetes } from './kubernetes.js';
import type { K8sObject } from './k8s-pod.js';
import { KUBERNETES_VERSION, kubernetesSchemaErrors } from './testing/kubernetes-schema.js';

/** Deep access into exported objects, for assertions only. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = K8sObject & { spec: any };

/** Each object is one the API server of KUBERNETES_VERSION accepts (vendored OpenAPI schema). */
function expectValid(objects: K8sObject[]): void {
  for (const object of objects)
    expect(kubernetesSchemaErrors(object), `${object.kind}/${object.metadata.name}`).toEqual([]);
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
  await writeFile(join(dir, name, 'db.pw'), 's3cr3t-value');
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
  workingDir: /srv
  mounts:
    - {bindMount: site, target: /srv, readOnly: true}
    - {volume: shared, target: /shared, readOnly: true}
    - {tmpfs: /tmp, size: 64Mi}
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

const FILES = `apiVersion: berth/v1
kind: Container
metadata: {name: api}
spec:
  image: localhost/api:1
  mounts:
    - {config: apiconf, target: /etc/api.yaml}
    - {secret: db-pass, target: /run/secrets/db, mode: "0440", uid: 1000, gid: 1000}
---
apiVersion: berth/v1
kind: Config
metadata: {name: apiconf}
spec: {content: "listen: 8080\\n"}
---
apiVersion: berth/v1
kind: Secret
metadata: {name: db-pass}
spec: {file: ./db.pw}
`;

describe('berth export kubernetes', () => {
  it('maps a container with replicas, probes, ports, resources and mounts onto a Deployment and a Service the API server schema accepts', async () => {
    const result = await exportOf('web', WEB);
    expect(result.losses.map(formatLoss)).toEqual([]);
    const kinds = result.documents.map((d) => `${d.object.kind}/${d.object.metadata.name}`);
    expect(kinds).toEqual(['Deployment/web', 'Service/web', 'PersistentVolumeClaim/shared']);
    expectValid(result.documents.map((d) => d.object));
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
      workingDir: '/srv',
    });
    expect(deployment.spec.template.spec.volumes).toContainEqual({
      name: 'tmpfs-2',
      emptyDir: { medium: 'Memory', sizeLimit: String(64 * 1024 * 1024) },
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
    expectValid(result.documents.map((d) => d.object));
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
  mounts: [{tmpfs: /tmp, options: [exec]}]
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
          /lossy\/app\.yaml:6:10: Container\/job: spec\.state: not carried: exited/,
        ),
        expect.stringMatching(/app\.yaml:7:18: Container\/job: spec\.restartPolicy: not carried/),
        expect.stringMatching(/app\.yaml:8:9: Container\/job: spec\.user: not carried/),
        expect.stringMatching(/app\.yaml:9:14: Container\/job: spec\.dependsOn: not carried/),
        expect.stringMatching(/app\.yaml:22:39: Image\/app: spec\.build: not carried/),
        expect.stringMatching(
          /app\.yaml:17:35: Container\/db: spec\.mounts\[0\]\.options: not carried: .*emptyDir takes no mount flags/,
        ),
      ]),
    );
    expectValid(result.documents.map((d) => d.object));
  });

  it('writes a Config as a ConfigMap and a Secret as a Secret without its value, each mounted at its target', async () => {
    const result = await exportOf('files', FILES);
    expectValid(result.documents.map((d) => d.object));
    const byKind = (kind: string) =>
      result.documents.filter((d) => d.object.kind === kind).map((d) => d.object as Loose);
    const [configMap] = byKind('ConfigMap');
    expect(configMap).toMatchObject({
      metadata: { name: 'apiconf' },
      data: { apiconf: 'listen: 8080\n' },
    });
    const [secret] = byKind('Secret');
    expect(secret).toMatchObject({
      metadata: { name: 'db-pass' },
      type: 'Opaque',
      data: { 'db-pass': '' },
    });
    // berth never prints a secret: the value appears nowhere in the export, nor in its losses.
    expect(JSON.stringify(result)).not.toContain('s3cr3t-value');
    const pod = (byKind('Deployment')[0] as Loose).spec.template.spec;
    expect(pod.volumes).toEqual([
      {
        name: 'config-0',
        configMap: {
          name: 'apiconf',
          items: [{ key: 'apiconf', path: 'apiconf' }],
          defaultMode: 0o444,
        },
      },
      {
        name: 'secret-1',
        secret: {
          secretName: 'db-pass',
          items: [{ key: 'db-pass', path: 'db-pass' }],
          defaultMode: 0o440,
        },
      },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'config-0', mountPath: '/etc/api.yaml', subPath: 'apiconf', readOnly: true },
      { name: 'secret-1', mountPath: '/run/secrets/db', subPath: 'db-pass', readOnly: true },
    ]);
    expect(pod.securityContext).toEqual({ fsGroup: 1000 });
    expect(result.losses.map(formatLoss)).toEqual([
      expect.stringMatching(
        /files\/app\.yaml:8:69: Container\/api: spec\.mounts\[1\]\.uid: not carried: 1000: Kubernetes writes secret files owned by root/,
      ),
      expect.stringMatching(
        /files\/app\.yaml:18:14: Secret\/db-pass: spec\.file: not carried: value not exported .*kubectl create secret generic db-pass --from-file=db-pass=\/.*\/files\/db\.pw$/,
      ),
    ]);
  });

  it(`the schema is a recent release's (${KUBERNETES_VERSION}): it knows fields added in 1.34`, async () => {
    const [deployment] = (await exportOf('recent', WEB)).documents.map((d) => d.object as Loose);
    const pod = deployment!.spec.template.spec;
    // Kubernetes 1.34: PodSpec.hostnameOverride, Container.restartPolicyRules (both alpha).
    pod.hostnameOverride = 'web-0';
    pod.containers[0].restartPolicy = 'Never';
    pod.containers[0].restartPolicyRules = [
      { action: 'Restart', exitCodes: { operator: 'In', values: [42] } },
    ];
    expectValid([deployment!]);
  });

  it(`the ${KUBERNETES_VERSION} schema check itself rejects broken objects (the tests can fail)`, async () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { template: {} },
    };
    expect(kubernetesSchemaErrors(broken)).toEqual([
      "/spec must have required property 'selector'",
    ]);
    // Real export output, spoilt: a field of the wrong type, unknown fields (strict field
    // validation), a port that is neither a number nor a name.
    const [deployment, service] = (await exportOf('spoilt', WEB)).documents.map(
      (d) => d.object as Loose,
    );
    expectValid([deployment!, service!]);
    deployment!.spec.replicas = '3';
    deployment!.spec.paused2 = true;
    deployment!.spec.template.spec.containers[0].healthcheck = {};
    service!.spec.ports = [{ port: 80, targetPort: 8.5 }];
    expect(kubernetesSchemaErrors(deployment!)).toEqual([
      '/spec must NOT have additional properties "paused2"',
      '/spec/replicas must be integer',
      '/spec/template/spec/containers/0 must NOT have additional properties "healthcheck"',
    ]);
    expect(kubernetesSchemaErrors(service!)).toEqual(
      expect.arrayContaining(['/spec/ports/0/targetPort must match a schema in anyOf']),
    );
    expect(() =>
      kubernetesSchemaErrors({ apiVersion: 'apps/v1beta1', kind: 'Deployment' }),
    ).toThrow(/no Kubernetes v1\.34\.0 schema for apps\/v1beta1 Deployment/);
  });
});
