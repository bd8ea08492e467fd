import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../index.js';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe('berth import: build secrets', () => {
  it('hands file and environment secrets to the Image build by target or source id; names what it cannot (an undeclared one is refused: consistency.test.ts)', async () => {
    const dir = tempDir('berth-import-');
    writeFileSync(join(dir, 'token.txt'), 'value');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const out = join(dir, 'out');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  app:',
        '    build:',
        '      context: .',
        '      secrets:',
        '        - source: npm',
        '          target: npm_token',
        '          mode: 0400',
        '        - api',
        '        - swarm',
        'secrets:',
        '  npm: {file: ./token.txt}',
        '  api: {environment: API_KEY}',
        '  swarm: {external: true}',
        '',
      ].join('\n'),
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    const docs = [...r.manifests.values()].flatMap((t) => parseAllDocuments(t));
    const image = docs
      .map((d) => d.toJS() as { kind: string; spec: { build: Record<string, unknown> } })
      .find((o) => o.kind === 'Image');
    expect(image?.spec.build.secrets).toEqual([
      { id: 'npm_token', file: '../token.txt' },
      { id: 'api', env: 'API_KEY' },
    ]);
    expect(r.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`)).toEqual([
      '10:11 services.app.build.secrets[2]: only file: and environment: secrets can be handed to a build',
      '14:11 secrets.swarm: external: a swarm secret (docker secret create); docker compose up refuses it outside a swarm too ("unsupported external secret swarm"): declare it with file: or environment:',
    ]);
    expect(images(r)).toContain('services.app.build.secrets[0]: mode dropped');
    mkdirSync(out);
    for (const [name, text] of r.manifests) writeFileSync(join(out, name), text);
    const loaded = await loadManifests([out], { cwd: out, env: { API_KEY: 'k' } });
    expect(loaded.problems).toEqual([]);
  });
});

function images(r: ReturnType<typeof importCompose>): string {
  return [...r.manifests.entries()].find(([name]) => name === 'images.yaml')?.[1] ?? '';
}
