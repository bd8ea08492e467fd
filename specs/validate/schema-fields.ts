import type { Kind } from '../model.js';
import bindMount from '../../schemas/bindmount.schema.json' with { type: 'json' };
import config from '../../schemas/config.schema.json' with { type: 'json' };
import container from '../../schemas/container.schema.json' with { type: 'json' };
import envelope from '../../schemas/envelope.schema.json' with { type: 'json' };
import image from '../../schemas/image.schema.json' with { type: 'json' };
import network from '../../schemas/network.schema.json' with { type: 'json' };
import secret from '../../schemas/secret.schema.json' with { type: 'json' };
import volume from '../../schemas/volume.schema.json' with { type: 'json' };

type SchemaNode = Record<string, unknown>;

/** Every kind's schema (a new kind must be added here, which the type enforces). */
const ROOTS: Record<Kind | 'Envelope', SchemaNode> = {
  Envelope: envelope,
  Image: image,
  Network: network,
  BindMount: bindMount,
  Volume: volume,
  Container: container,
  Secret: secret,
  Config: config,
};

const BY_ID = new Map<string, SchemaNode>(
  Object.values(ROOTS).map((schema) => [String(schema.$id), schema]),
);

interface Located {
  node: SchemaNode;
  /** The `$id` of the schema file the node is in, for relative `$ref`s. */
  base: string;
}

/**
 * The field names the schema allows at a place in a document (`['spec', 'mounts', 0]`),
 * over every branch (`if`/`then`/`else`, `anyOf`…) that could apply. Used only to suggest
 * a name for an unknown field, so a union of branches is good enough.
 */
export function knownFields(kind: Kind | 'Envelope', path: readonly (string | number)[]): string[] {
  const root = ROOTS[kind];
  let places = expand({ node: root, base: String(root.$id) });
  for (const segment of path) places = places.flatMap((p) => expand(...step(p, segment)));
  const names = places.flatMap((p) =>
    Object.keys((p.node.properties as SchemaNode | undefined) ?? {}),
  );
  return [...new Set(names)];
}

function step(place: Located, segment: string | number): Located[] {
  const { node, base } = place;
  const next =
    typeof segment === 'number'
      ? node.items
      : ((node.properties as SchemaNode | undefined)?.[segment] ?? node.additionalProperties);
  return next !== null && typeof next === 'object' ? [{ node: next as SchemaNode, base }] : [];
}

/** A node and everything it stands for: its `$ref` target and its conditional branches. */
function expand(...places: Located[]): Located[] {
  const out: Located[] = [];
  const queue = [...places];
  while (queue.length > 0 && out.length < 64) {
    const place = queue.shift() as Located;
    out.push(place);
    const { node, base } = place;
    if (typeof node.$ref === 'string') {
      const target = resolveRef(node.$ref, base);
      if (target) queue.push(target);
    }
    for (const key of ['then', 'else']) {
      const branch = node[key];
      if (branch && typeof branch === 'object') queue.push({ node: branch as SchemaNode, base });
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[key];
      if (Array.isArray(list)) for (const n of list) queue.push({ node: n as SchemaNode, base });
    }
  }
  return out;
}

function resolveRef(ref: string, base: string): Located | undefined {
  const [file = '', pointer = ''] = ref.split('#');
  const id = file === '' ? base : new URL(file, base).href;
  let node: unknown = BY_ID.get(id);
  for (const part of pointer.split('/').filter(Boolean)) {
    node = (node as SchemaNode | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node && typeof node === 'object' ? { node: node as SchemaNode, base: id } : undefined;
}
