import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJSON, hashValue } from './canonical-json.js';

/** The definition, written plainly: the fast version must give the same text for any value. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => reference(v ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJSON', () => {
  it('gives the reference text for any JSON-like value (undefined members and items too)', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node')),
        fc.dictionary(fc.string(), tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJSON(v)).toBe(reference(v));
      }),
      {
        numRuns: 500,
      },
    );
  });

  it('keeps the hash of a container-like spec byte for byte (a change recreates every container)', () => {
    const spec = {
      kind: 'Container',
      labels: { tier: 'web', 'a.b/c': 'x' },
      spec: {
        image: 'localhost/berth-busybox:1',
        command: ['sleep', '3600'],
        env: { B: '2', A: '1', É: 'é' },
        ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        networks: [{ network: 'default', aliases: [] }],
        user: undefined,
        init: true,
        memory: 268435456,
        cpus: 0.5,
      },
    };
    expect(canonicalJSON(spec)).toBe(reference(spec));
    expect(hashValue(spec)).toBe('f926e66946676428');
  });
});
