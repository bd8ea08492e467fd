import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDockerReads } from './docker-reads.js';

/** Podman 4.3.1's answer to `GET /images/json` while an image it lists is removed (seen live). */
const GONE_WHILE_LISTING = {
  cause: 'image not known',
  message:
    'checking if image "945ad0f8bb1a" is dangling: locating image with ID "945ad0f8bb1a": image not known',
  response: 500,
};

/** A fake engine whose image list fails `failures` times with `answer`, then lists one image. */
async function withImageList(
  failures: number,
  answer: object,
  test: (reads: ReturnType<typeof createDockerReads>, calls: () => number) => Promise<void>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-reads-'));
  const socketPath = join(dir, 'engine.sock');
  let calls = 0;
  const server = createServer((_req, res) => {
    calls += 1;
    res.setHeader('Server', 'Libpod/4.3.1 (linux)');
    res.setHeader('Content-Type', 'application/json');
    if (calls <= failures) res.writeHead(500);
    res.end(JSON.stringify(calls <= failures ? answer : [{ Id: 'sha256:aa', RepoTags: ['x:1'] }]));
  });
  await new Promise<void>((listening) => server.listen(socketPath, listening));
  try {
    await test(createDockerReads({ kind: 'unix', socketPath, display: socketPath }), () => calls);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same race, another of its answers (seen live too). */
const SIZE_NOT_KNOWN = {
  cause: 'size is not known',
  message:
    'retrieving label for image "578c1bf509e2": you may need to remove the image to resolve the error: fallback error checking whether image is a manifest list: reading data blob size "sha256:578c1bf509e2" for "578c1bf509e2": size is not known',
  response: 500,
};

/** Podman 4.3.1's container list while a forced image removal is under way (seen live). */
const CONTAINER_IMAGE_GONE = {
  cause: 'image not known',
  message:
    'locating image with ID "20a52cadc349945ad4ff93c124a7c4723e448e7974689b9881c768893fb9bea4": image not known',
  response: 500,
};

describe('createDockerReads lists', () => {
  it('reads the list again when Podman failed it for an image removed meanwhile (issue 17)', async () => {
    await withImageList(2, GONE_WHILE_LISTING, async (reads, calls) => {
      expect(await reads.listImages()).toEqual([{ Id: 'sha256:aa', RepoTags: ['x:1'] }]);
      expect(calls()).toBe(3);
    });
    await withImageList(1, SIZE_NOT_KNOWN, async (reads, calls) => {
      expect(await reads.listImages()).toHaveLength(1);
      expect(calls()).toBe(2);
    });
  });

  it('reads the container lists again when Podman failed them for an image removed meanwhile (issue 17)', async () => {
    await withImageList(1, CONTAINER_IMAGE_GONE, async (reads, calls) => {
      expect(await reads.listContainers({ all: true })).toHaveLength(1);
      expect(calls()).toBe(2);
    });
    await withImageList(2, CONTAINER_IMAGE_GONE, async (reads, calls) => {
      expect(await reads.listPodmanContainers({})).toHaveLength(1);
      expect(calls()).toBe(3);
    });
  });

  it('passes on any other failure at once, and this one after three retries', async () => {
    const other = { cause: 'oops', message: 'something else', response: 500 };
    await withImageList(1, other, async (reads, calls) => {
      await expect(reads.listImages()).rejects.toThrow(/something else/);
      expect(calls()).toBe(1);
    });
    await withImageList(9, GONE_WHILE_LISTING, async (reads, calls) => {
      await expect(reads.listImages()).rejects.toThrow(/image not known/);
      expect(calls()).toBe(4);
    });
  });
});
