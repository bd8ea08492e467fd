// Validates Kubernetes objects against a release's OpenAPI definitions with ajv, for tests
// (issue 17: export output "validated against the OpenAPI schema of a recent release").
// The definitions are vendored in test/fixtures/kubernetes/ (README there: source, version).
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The Kubernetes release whose schema exported objects are checked against. */
export const KUBERNETES_VERSION = 'v1.34.0';

const FILE = new URL(
  `../../../test/fixtures/kubernetes/${KUBERNETES_VERSION}.swagger.json`,
  import.meta.url,
);
const BASE = `https://berth.dev/test/kubernetes/${KUBERNETES_VERSION}.json`;

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = unknown;
type Schema = Record<string, Json>;
interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/**
 * One OpenAPI v2 schema object as JSON Schema, the way the API server reads a manifest:
 * - `x-kubernetes-*` (list, patch and union hints for apply) and descriptions are dropped;
 * - `format: int-or-string` is an integer or a string (intstr.IntOrString unmarshals both;
 *   v2 can only say `type: string`, the OpenAPI v3 spec says `oneOf` integer, string);
 * - an object with declared properties takes no others: kubectl's default `--validate=strict`
 *   has the server reject an unknown field (server-side field validation, GA in 1.27).
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as Schema;
  if (schema.format === 'int-or-string')
    return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') || key === 'description') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]))
        : toJsonSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/**
 * resource.Quantity: v2 says `type: string`, but the server also decodes a bare number
 * (`cpu: 1`, common in manifests).
 */
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

interface Loaded {
  ajv: Ajv;
  /** Definition name by `apiVersion kind`, from `x-kubernetes-group-version-kind`. */
  byKind: Map<string, string>;
}

function load(): Loaded {
  const swagger = JSON.parse(readFileSync(FILE, 'utf8')) as { definitions: Record<string, Schema> };
  const byKind = new Map<string, string>();
  const definitions: Record<string, Json> = {};
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    const gvks = (definition['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[];
    for (const { group, version, kind } of gvks)
      byKind.set(`${group ? `${group}/` : ''}${version} ${kind}`, name);
    definitions[name] =
      name === QUANTITY
        ? { anyOf: [{ type: 'string' }, { type: 'number' }] }
        : toJsonSchema(definition);
  }
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: BASE, definitions });
  return { ajv, byKind };
}

let shared: Loaded | undefined;

function validatorFor(apiVersion: unknown, kind: unknown): ValidateFunction {
  shared ??= load();
  const name = shared.byKind.get(`${String(apiVersion)} ${String(kind)}`);
  if (!name)
    throw new Error(
      `no Kubernetes ${KUBERNETES_VERSION} schema for ${String(apiVersion)} ${String(kind)}`,
    );
  const validate = shared.ajv.getSchema(`${BASE}#/definitions/${name}`);
  if (!validate) throw new Error(`schema ${name} did not compile`);
  return validate;
}

/**
 * Why the API server of KUBERNETES_VERSION would refuse `object` on schema grounds
 * (`/spec/replicas must be integer`, `/spec must NOT have additional property "x"`);
 * empty when its schema accepts it. Throws for a kind the vendored file does not hold.
 */
export function kubernetesSchemaErrors(object: { apiVersion?: unknown; kind?: unknown }): string[] {
  const validate = validatorFor(object.apiVersion, object.kind);
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties' ? ` "${String(e.params.additionalProperty)}"` : '';
    return `${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
  });
}
