import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { berth } from '../../../test/support/cli.js';
import { kubernetesSchemaErrors } from '../../export/testing/kubernetes-schema.js';

/**
 * `berth export kubernetes` as a user runs it (DESIGN.md "Several engines and a cluster
 * engine"): exit 0 lossless, 2 written with losses (each named `file:line:col` on stderr),
 * 1 invalid input with nothing written; every document it writes is accepted by the
 * Kubernetes OpenAPI schema of a recent release (KUBERNETES_VERSION, vendored in
 * test/fixtures/kubernetes/). Touches no engine.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-export-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WEB = `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/web:1
  replicas: 2
  ports: [{containerPort: 8080}]
  healthcheck: {command: [CMD, "true"], interval: 5s}
  mounts: [{volume: data, target: /data}]
---
apiVersion: berth/v1
kind: Volume
metadata: {name: data}
spec: {}
`;

function folder(name: string, yaml: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), yaml);
  return dir;
}

/** One exported document is accepted by the Kubernetes OpenAPI schema of its apiVersion and kind. */
function expectValid(object: { apiVersion: string; kind: string }): void {
  expect(kubernetesSchemaErrors(object), `${object.apiVersion} ${object.kind}`).toEqual([]);
}

describe('berth export kubernetes (CLI)', () => {
  it('-o DIR writes one file per object, every document valid; exit 0 when lossless', async () => {
    const dir = folder('lossless', WEB);
    const out = join(work, 'out');
    const r = await berth(['export', 'kubernetes', '-f', dir, '-o', out, '-p', 'shop']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/exported \d+ Kubernetes objects into .*, lossless/);
    const files = readdirSync(out).sort();
    expect(files.length).toBeGreaterThan(0);
    const kinds: string[] = [];
    for (const file of files)
      for (const doc of parseAllDocuments(readFileSync(join(out, file), 'utf8'))) {
        const object = doc.toJS() as { apiVersion: string; kind: string };
        kinds.push(object.kind);
        expectValid(object);
      }
    // A writable named volume: a StatefulSet with its claim template, and its Service.
    expect(kinds).toEqual(expect.arrayContaining(['StatefulSet', 'Service']));
  });

  it('names each field it cannot carry as file:line:col on stderr and exits 2; stdout stays valid', async () => {
    const dir = folder(
      'lossy',
      WEB +
        `---\napiVersion: berth/v1\nkind: Container\nmetadata: {name: job}\nspec:\n  image: localhost/job:1\n  state: exited\n  restartPolicy: Never\n`,
    );
    const r = await berth(['export', 'kubernetes', '-f', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/lossy\/app\.yaml:\d+:\d+: Container\/job: spec\.state: not carried/);
    for (const doc of parseAllDocuments(r.stdout))
      expectValid(doc.toJS() as { apiVersion: string; kind: string });
  });

  it('refuses invalid input with exit 1 and writes nothing', async () => {
    const dir = folder('invalid', WEB.replace('localhost/web:1', '[not, an, image]'));
    const out = join(work, 'never');
    const r = await berth(['export', 'kubernetes', '-f', dir, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid\/app\.yaml:\d+:\d+:/);
    expect(existsSync(out)).toBe(false);
  });
});
