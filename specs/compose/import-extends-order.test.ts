import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/** The shape of the new-user trial (F261): app extends common.yml's base, debug extends app. */
function project(): string {
  const dir = tempDir('berth-import-extends-');
  const write = (name: string, lines: string[]) =>
    writeFileSync(join(dir, name), [...lines, ''].join('\n'));
  write('common.yml', [
    'services:',
    '  base:',
    '    image: localhost/berth-busybox:1',
    '    environment: {LOG_LEVEL: info}',
  ]);
  write('compose.yaml', [
    'services:',
    '  app:',
    '    extends: {file: common.yml, service: base}',
    '    environment: {APP_ENV: dev}',
    '  debug:',
    '    extends: app',
    '    profiles: [debug]',
    '    command: [echo, debugging]',
  ]);
  write('compose.override.yaml', [
    'services:',
    '  app:',
    '    environment: {APP_ENV: local, EXTRA: "1"}',
    '    ports: ["127.0.0.1:18421:8080"]',
    '    volumes: [./src:/src]',
  ]);
  return dir;
}

function containers(dir: string): Record<string, Record<string, unknown>> {
  const result = importCompose({
    files: ['compose.yaml', 'compose.override.yaml'],
    cwd: dir,
    outDir: dir,
    profiles: ['debug'],
  });
  const docs = [...result.manifests.values()].flatMap((text) =>
    parseAllDocuments(text).map(
      (d) =>
        d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> },
    ),
  );
  return Object.fromEntries(
    docs.filter((o) => o.kind === 'Container').map((o) => [o.metadata.name, o.spec]),
  );
}

describe('berth import: extends is resolved in each file before the override merge (F261)', () => {
  it("the override's additions to app stay on app; debug gets only compose.yaml's app", () => {
    const { app, debug } = containers(project());
    // docker-compose --profile debug config (1.29) on this shape gives the same.
    expect(app).toMatchObject({
      env: { LOG_LEVEL: 'info', APP_ENV: 'local', EXTRA: '1' },
      ports: ['127.0.0.1:18421:8080'],
    });
    expect(debug?.env).toEqual({ LOG_LEVEL: 'info', APP_ENV: 'dev' });
    expect(debug?.ports).toBeUndefined();
    expect(debug?.mounts).toBeUndefined();
    expect(debug?.args).toEqual(['echo', 'debugging']);
  });
});
