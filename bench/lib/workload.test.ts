import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { berthManifest, composeFile, type Workload } from './workload.js';

const base: Workload = {
  project: 'bench-x',
  n: 3,
  init: true,
  envValue: 'a',
  state: 'running',
  siteDir: '/tmp/site',
};

describe('workload', () => {
  it('declares one network, one bind mount and n containers for berth', () => {
    const docs = parseAllDocuments(berthManifest(base)).map(
      (d) => d.toJS() as { kind: string; spec: Record<string, unknown> },
    );
    expect(docs.map((d) => d.kind)).toEqual([
      'Network',
      'BindMount',
      'Container',
      'Container',
      'Container',
    ]);
    expect(docs[2]?.spec).toMatchObject({
      init: true,
      env: { BENCH_MODE: 'a' },
      networks: ['net'],
    });
  });

  it('gives compose the same names, env and mount, and changes only the chosen container', () => {
    const compose = parse(composeFile({ ...base, changed: { index: 1, value: 'b' } })) as {
      services: Record<
        string,
        { container_name: string; environment: Record<string, string>; volumes: string[] }
      >;
      networks: Record<string, { name: string }>;
    };
    expect(Object.keys(compose.services)).toEqual(['c001', 'c002', 'c003']);
    expect(compose.services.c001?.container_name).toBe('bench-x-c001');
    expect(compose.services.c002?.environment.BENCH_MODE).toBe('b');
    expect(compose.services.c003?.environment.BENCH_MODE).toBe('a');
    expect(compose.services.c001?.volumes).toEqual(['/tmp/site:/srv:ro']);
    expect(compose.networks.net?.name).toBe('bench-x-net');
  });
});
