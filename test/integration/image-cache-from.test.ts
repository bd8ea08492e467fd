import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { startCountingProxy } from '../support/counting-proxy.js';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { cliProject } from './cli-project-support.js';

/**
 * An Image's `build.cacheFrom` (Compose `build.cache_from`, F602) reaches the engine's build
 * as its `cachefrom` parameter: built once, then built again naming its own earlier image,
 * through a proxy that keeps every build request's query. Adding cacheFrom alone rebuilds
 * nothing (it is not in the build key: it changes how fast the image is built, not what).
 */

const projects: ReturnType<typeof cliProject>[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

function imageYaml(ref: string, cacheFrom?: string): string {
  return [
    'apiVersion: berth/v1',
    'kind: Image',
    'metadata: {name: app}',
    'spec:',
    `  ref: ${ref}`,
    '  build:',
    '    context: ./ctx',
    ...(cacheFrom ? [`    cacheFrom: [${cacheFrom}]`] : []),
    '',
  ].join('\n');
}

describe('an image built with cacheFrom', () => {
  it('sends cachefrom to the engine, builds, and a cacheFrom added alone rebuilds nothing', async () => {
    const p = cliProject('cachefrom', '');
    projects.push(p);
    const { work, stateHome, project, dir } = p;
    const ref = `localhost/${project}-app:1`;
    const ctx = join(dir, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo one > /one\n`);
    const queries: string[] = [];
    const proxy = await startCountingProxy(join(work, 'engine.sock'), (req, path) => {
      if (req.method === 'POST' && path.endsWith('/build')) queries.push(req.url ?? '');
      return false;
    });
    const env = { XDG_STATE_HOME: stateHome, DOCKER_HOST: `unix://${proxy.socketPath}` };
    const run = (...args: string[]) =>
      berth([...args, '-f', dir, '-p', project], { cwd: work, env });
    try {
      writeFileSync(join(dir, 'app.yaml'), imageYaml(ref));
      const first = await run('apply');
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(queries).toHaveLength(1);
      expect(new URL(queries[0] ?? '', 'http://e').searchParams.get('cachefrom')).toBeNull();

      writeFileSync(join(dir, 'app.yaml'), imageYaml(ref, ref));
      const same = await run('plan', '--exit-code');
      expect(same.code, same.stdout).toBe(0);

      writeFileSync(
        join(ctx, 'Dockerfile'),
        `FROM ${TEST_IMAGE}\nRUN echo one > /one\nRUN echo two > /two\n`,
      );
      const second = await run('apply');
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(queries).toHaveLength(2);
      const sent = new URL(queries[1] ?? '', 'http://e').searchParams.getAll('cachefrom');
      expect(sent).toEqual([JSON.stringify([ref])]);
      expect(await docker('run', '--rm', ref, 'cat', '/two')).toBe('two');
    } finally {
      await proxy.close();
    }
  });
});
