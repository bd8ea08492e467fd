/**
 * Vendors the part of a Kubernetes release's OpenAPI (v2, `api/openapi-spec/swagger.json`)
 * that `berth export kubernetes` output is checked against (issue 17): the definitions of
 * the kinds export writes and every definition they reach through `$ref`, nothing else.
 * Descriptions are dropped (prose, three quarters of the bytes); every other keyword,
 * `x-kubernetes-*` included, is kept as published, so the file diffs cleanly against
 * upstream. The test helper (controller/export/testing/kubernetes-schema.ts) turns it into
 * JSON Schema as it loads it. Where the swagger comes from: test/fixtures/kubernetes/README.md.
 *
 *   tsx scripts/vendor-kubernetes-schema.ts SWAGGER_JSON VERSION
 *   (writes test/fixtures/kubernetes/VERSION.swagger.json)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';

/** The kinds `berth export kubernetes` writes (controller/export/). */
const EXPORTED_KINDS = [
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.apps.v1.StatefulSet',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.Secret',
];

type Json = unknown;
type Definitions = Record<string, Json>;

/** Every definition name `root` reaches through `$ref`, itself included. */
function reachable(definitions: Definitions, root: string, seen: Set<string>): void {
  if (seen.has(root)) return;
  if (!(root in definitions)) throw new Error(`no definition ${root}`);
  seen.add(root);
  const visit = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null)
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string')
          reachable(definitions, value.replace('#/definitions/', ''), seen);
        else visit(value);
      }
  };
  visit(definitions[root]);
}

/** `node` without `description` keywords; property names (in `properties`) stay. */
function withoutDescriptions(node: Json, inProperties = false): Json {
  if (Array.isArray(node)) return node.map((n) => withoutDescriptions(n));
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => inProperties || key !== 'description')
      .map(([key, value]) => [
        key,
        withoutDescriptions(value, !inProperties && key === 'properties'),
      ]),
  );
}

async function main(swaggerPath: string, version: string): Promise<void> {
  const swagger = JSON.parse(await readFile(swaggerPath, 'utf8')) as { definitions: Definitions };
  const names = new Set<string>();
  for (const kind of EXPORTED_KINDS) reachable(swagger.definitions, kind, names);
  const definitions = Object.fromEntries(
    [...names].sort().map((name) => [name, withoutDescriptions(swagger.definitions[name])]),
  );
  const vendored = { swagger: '2.0', info: { title: 'Kubernetes', version }, definitions };
  const out = fileURLToPath(
    new URL(`../test/fixtures/kubernetes/${version}.swagger.json`, import.meta.url),
  );
  await writeFile(out, await format(JSON.stringify(vendored), { parser: 'json', printWidth: 100 }));
  console.log(`${out}: ${names.size} definitions`);
}

const [swaggerPath, version] = process.argv.slice(2);
if (!swaggerPath || !version) {
  console.error('usage: tsx scripts/vendor-kubernetes-schema.ts SWAGGER_JSON VERSION');
  process.exit(2);
}
await main(swaggerPath, version);
