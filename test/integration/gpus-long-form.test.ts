import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * `gpus` in its long form (Compose's `deploy.resources.reservations.devices` entry, as
 * linuxserver.io documents it for NVIDIA) reaches the engine as one DeviceRequest with its
 * driver, capabilities and options; the short form is sent as before. The containers stay
 * `created`: this engine has no GPU driver to start them with.
 */
const project = uniqueProject('gpus');
const dir = mkdtempSync(join(tmpdir(), 'berth-gpus-'));
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

const container = (name: string, gpus: string) => `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  state: created
  gpus: ${gpus}
`;

describe('gpus on the real engine', () => {
  it('sends the long form as one DeviceRequest, the short form as before, and is stable', async () => {
    writeFileSync(
      join(dir, 'gpus.yaml'),
      [
        container(
          'transcoder',
          '{driver: nvidia, count: 1, capabilities: [compute, video, utility], options: {mode: a}}',
        ),
        container('ids', '{deviceIds: ["0", "2"], driver: nvidia}'),
        container('any', 'all'),
      ].join('---\n'),
    );
    const applied = await berth(['apply', '-f', dir, '-p', project]);
    expect(applied.code, applied.stderr).toBe(0);
    const requests = async (name: string) =>
      JSON.parse(
        await docker('inspect', '-f', '{{json .HostConfig.DeviceRequests}}', `${project}-${name}`),
      ) as unknown;
    expect(await requests('transcoder')).toEqual([
      {
        Driver: 'nvidia',
        Count: 1,
        DeviceIDs: null,
        Capabilities: [['compute', 'video', 'utility']],
        Options: { mode: 'a' },
      },
    ]);
    expect(await requests('ids')).toEqual([
      { Driver: 'nvidia', Count: 0, DeviceIDs: ['0', '2'], Capabilities: [['gpu']], Options: {} },
    ]);
    expect(await requests('any')).toEqual([
      { Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} },
    ]);
    const plan = await berth(['plan', '-f', dir, '-p', project, '--exit-code']);
    expect(plan.code, plan.stdout).toBe(0);
  });
});
