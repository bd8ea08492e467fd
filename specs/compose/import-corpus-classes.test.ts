// Classes of real Compose files (app stores, self-hosting collections) that import refused,
// lost or wrote invalid, each fixed as Compose reads them (bench/NOTES.md, import corpus).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { importCompose } from './index.js';

function imported(lines: string[]) {
  const dir = tempDir('berth-corpus-classes-');
  writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
  return importCompose({
    files: ['compose.yaml'],
    cwd: dir,
    outDir: join(dir, 'out'),
    profiles: [],
  });
}

function spec(result: ReturnType<typeof importCompose>, kind: string, name: string) {
  return result.objects.find((o) => o.kind === kind && o.name === name)?.spec;
}

describe('YAML as Compose reads it', () => {
  it('merges a tagged merge key (!!merge <<, as yq writes it) like a plain one', () => {
    const result = imported([
      'x-common: &common',
      '  restart: "no"',
      '  user: "1000"',
      'services:',
      '  app:',
      '    !!merge <<: *common',
      '    image: localhost/berth-busybox:1',
    ]);
    expect(result.losses).toEqual([]);
    expect(spec(result, 'Container', 'app')).toMatchObject({
      restartPolicy: 'Never',
      user: '1000',
    });
  });
});
