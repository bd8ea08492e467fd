import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { followProgress } from './docker-progress.js';

const D = `sha256:${'ab'.repeat(32)}`;
const streamOf = (...lines: object[]) =>
  Readable.from(lines.map((l) => `${JSON.stringify(l)}\r\n`));

describe("followProgress: a push's digest", () => {
  it("is Docker's aux.Digest", async () => {
    const stream = streamOf(
      { status: 'The push refers to repository [127.0.0.1:5000/a]' },
      { status: `1: digest: ${D} size: 527` },
      { progressDetail: {}, aux: { Tag: '1', Digest: D, Size: 527 } },
    );
    expect(await followProgress(stream, undefined)).toEqual({ digest: D });
  });

  it("is the status line's on Podman 4.3.1, which sends no aux", async () => {
    const stream = streamOf(
      { status: 'The push refers to repository [127.0.0.1:5000/a:1]' },
      { status: `1: digest: ${D} size: 913` },
    );
    const lines: string[] = [];
    expect(await followProgress(stream, (l) => lines.push(l))).toEqual({ digest: D });
    expect(lines).toContain(`1: digest: ${D} size: 913`);
  });

  it('is absent from a failed push, which returns its error', async () => {
    const stream = streamOf(
      { status: 'The push refers to repository [127.0.0.1:5000/a:1]' },
      { errorDetail: { message: 'unauthorized: authentication required' }, error: 'x' },
    );
    expect(await followProgress(stream, undefined)).toEqual({
      error: 'unauthorized: authentication required',
    });
  });
});
