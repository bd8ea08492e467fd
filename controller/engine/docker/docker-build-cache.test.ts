import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { buildImage } from './docker-build.js';
import { cacheFromQuery } from './docker-build-cache.js';
import type { ImageBuildRequest } from '../engine.js';

/**
 * A fake engine on a unix socket: answers `POST /build` with one output line and the image
 * inspect after it, and keeps the query of every build request it was sent.
 */
async function withFakeEngine(
  test: (docker: Dockerode, builds: URLSearchParams[]) => Promise<void>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-build-cache-'));
  const socketPath = join(dir, 'engine.sock');
  const builds: URLSearchParams[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://engine');
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'POST' && url.pathname.endsWith('/build')) {
        builds.push(url.searchParams);
        res.end(JSON.stringify({ stream: 'Successfully built\n' }) + '\n');
      } else if (url.pathname.endsWith('/json')) {
        res.end(JSON.stringify({ Id: 'sha256:bb', RepoTags: ['localhost/app:1'], Config: {} }));
      } else res.writeHead(404).end('{"message":"no such thing"}');
    });
  });
  await new Promise<void>((listening) => server.listen(socketPath, listening));
  try {
    await test(new Dockerode({ socketPath }), builds);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function request(contextDir: string, cacheFrom?: string[]): ImageBuildRequest {
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM scratch\n');
  return {
    contextDir,
    files: ['Dockerfile'],
    dockerfile: 'Dockerfile',
    tag: 'localhost/app:1',
    args: {},
    labels: {},
    ...(cacheFrom && { cacheFrom }),
  };
}

describe('the build request names the images to take cache from (F602)', () => {
  it('cacheFromQuery is one JSON array, and nothing at all without entries', () => {
    expect(cacheFromQuery(['localhost/app:1', 'localhost/app:0'])).toEqual({
      cachefrom: '["localhost/app:1","localhost/app:0"]',
    });
    expect(cacheFromQuery([])).toEqual({});
    expect(cacheFromQuery(undefined)).toEqual({});
  });

  it('POST /build carries cachefrom as the engine reads it; a build without it sends none', async () => {
    const context = mkdtempSync(join(tmpdir(), 'berth-build-cache-ctx-'));
    try {
      await withFakeEngine(async (docker, builds) => {
        await buildImage(docker, 'fake', request(context, ['localhost/app:1', 'localhost/app:0']));
        await buildImage(docker, 'fake', request(context));
        expect(builds.map((q) => q.getAll('cachefrom'))).toEqual([
          ['["localhost/app:1","localhost/app:0"]'],
          [],
        ]);
        expect(builds[0]?.get('t')).toBe('localhost/app:1');
      });
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });
});
