import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, uniqueProject } from '../support/docker.js';

/**
 * F623: secret values under 4 characters are no longer searched for in a container's output
 * (controller/lifecycle/output-excerpt.ts MIN_MASKED_CHARS). The other side: berth itself
 * never writes a secret's own field, whatever its length — plan, diff, apply, status, get,
 * describe and history name the Secret and say `value (changed)`, never the 2-character value.
 */
const dir = mkdtempSync(join(tmpdir(), 'berth-secret-short-'));
const state = join(dir, 'state');
const project = uniqueProject('f623');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

writeFileSync(
  join(dir, 'app.yaml'),
  `apiVersion: berth/v1
kind: Secret
metadata: {name: pin}
spec: {env: SHORT_PIN}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
  mounts: [{secret: pin, target: /run/secrets/pin}]
`,
);

describe('a Secret of 2 characters (F623)', () => {
  it('is never written where berth shows the Secret or the container that mounts it', async () => {
    const run = (args: string[], pin: string) =>
      berth([...args, '-p', project], {
        cwd: dir,
        env: { SHORT_PIN: pin, XDG_STATE_HOME: state },
      });
    const first = await run(['apply', '-f', '.'], 'Ẑq');
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const outputs = [
      first,
      await run(['plan', '-f', '.'], 'Ẑr'),
      await run(['plan', '-f', '.', '-o', 'json'], 'Ẑr'),
      await run(['diff', '-f', '.'], 'Ẑr'),
    ];
    expect(outputs[3]?.stdout).toContain('Secret/pin:\n  value (changed)');
    const applied = await run(['apply', '-f', '.', '-o', 'json'], 'Ẑr');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    outputs.push(
      applied,
      await run(['status', '-o', 'json'], 'Ẑr'),
      await run(['get', '-o', 'json'], 'Ẑr'),
      await run(['describe', 'Secret/pin'], 'Ẑr'),
      await run(['describe', 'Container/app'], 'Ẑr'),
      await run(['history', '-o', 'json'], 'Ẑr'),
    );
    for (const out of outputs) expect(out.stdout + out.stderr).not.toMatch(/Ẑ/);
  });
});
