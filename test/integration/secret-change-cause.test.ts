import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, uniqueProject } from '../support/docker.js';

/**
 * F85: a changed Secret value showed in plan and diff as "spec changed: mounts", and diff
 * named no changed field. Now the cause names the secret and diff lists its value as
 * changed; the value itself appears in no output.
 */
const dir = mkdtempSync(join(tmpdir(), 'berth-secret-cause-'));
const project = uniqueProject('f85');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

writeFileSync(
  join(dir, 'app.yaml'),
  `apiVersion: berth/v1
kind: Secret
metadata: {name: api-token}
spec: {env: MON_API_TOKEN}
---
apiVersion: berth/v1
kind: Container
metadata: {name: collector}
spec:
  image: ${TEST_IMAGE}
  command: [sleep, "3600"]
  mounts: [{secret: api-token, target: /run/secrets/api-token}]
`,
);

describe('a changed Secret value (F85)', () => {
  it('is named in plan, diff and apply, and its value never printed', async () => {
    const run = (args: string[], token: string) =>
      berth([...args, '-f', '.', '-p', project], { cwd: dir, env: { MON_API_TOKEN: token } });
    const first = await run(['apply'], 'tok-CANARY-5521');
    expect(first.code, first.stderr + first.stdout).toBe(0);

    const outputs = [
      await run(['plan'], 'tok-CANARY-9999x'),
      await run(['plan', '-o', 'json'], 'tok-CANARY-9999x'),
      await run(['diff'], 'tok-CANARY-9999x'),
    ];
    const [plan, json, diff] = outputs.map((o) => o.stdout + o.stderr);
    expect(plan).toMatch(/~ Container\/collector .*Secret api-token changed/);
    expect(plan).not.toContain('spec changed: mounts');
    expect(json).toContain('"replaceCause": "Secret api-token changed"');
    expect(diff).toContain('Secret/api-token:\n  value (changed)');
    const applied = await run(['apply'], 'tok-CANARY-9999x');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    outputs.push(applied, await run(['status'], 'tok-CANARY-9999x'));
    for (const out of outputs) expect(out.stdout + out.stderr).not.toMatch(/CANARY/);
  });
});
