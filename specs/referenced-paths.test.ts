import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';
import { referencedPaths } from './referenced-paths.js';

const dir = await mkdtemp(join(tmpdir(), 'berth-refpaths-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('referencedPaths', () => {
  it('names Secret/Config files, env files, local contexts and a Dockerfile outside its context', async () => {
    await mkdir(join(dir, 'img'));
    await writeFile(join(dir, 'img', 'Dockerfile'), 'FROM scratch\n');
    await writeFile(join(dir, 'Dockerfile.out'), 'FROM scratch\n');
    await writeFile(join(dir, 'pw.txt'), 'x');
    await writeFile(join(dir, 'app.env'), 'A=1\n');
    const yaml = `apiVersion: berth/v1
kind: Secret
metadata: {name: pw}
spec: {file: ./pw.txt}
---
apiVersion: berth/v1
kind: Config
metadata: {name: inline}
spec: {content: hi}
---
apiVersion: berth/v1
kind: Image
metadata: {name: a}
spec: {ref: local/a:1, build: {context: ./img}}
---
apiVersion: berth/v1
kind: Image
metadata: {name: b}
spec: {ref: local/b:1, build: {context: ./img, dockerfile: ../Dockerfile.out}}
---
apiVersion: berth/v1
kind: Image
metadata: {name: c}
spec: {ref: local/c:1, build: {context: "https://example.invalid/repo.git#main"}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec: {image: a, envFiles: [./app.env], mounts: [{secret: pw}]}
`;
    await writeFile(join(dir, 'set.yaml'), yaml);
    const loaded = await loadManifests([join(dir, 'set.yaml')], { policy: undefined });
    expect(loaded.problems).toEqual([]);
    expect(referencedPaths(loaded.set.objects)).toEqual({
      files: [join(dir, 'Dockerfile.out'), join(dir, 'app.env'), join(dir, 'pw.txt')],
      contexts: [
        { dir: join(dir, 'img'), dockerfile: '../Dockerfile.out' },
        { dir: join(dir, 'img'), dockerfile: 'Dockerfile' },
      ],
    });
  });
});
