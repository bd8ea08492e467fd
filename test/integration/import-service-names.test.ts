import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * F182: two Compose services whose names make one DNS label (`web_api`, `web-api`). Under
 * docker compose each name resolves to its own service only (Docker's DNS takes `web_api`
 * as written); imported and applied, the same: `web-api` keeps its name, `web_api` becomes
 * `web-api-2` answering to `web_api` by alias, and no name answers for both.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-service-names-'));
const project = uniqueProject('svcnames');
const state = { XDG_STATE_HOME: join(dir, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

const sleeper = `    image: ${TEST_IMAGE}\n    init: true\n    command: [sleep, "3600"]\n`;
writeFileSync(
  join(dir, 'compose.yaml'),
  `services:\n  web_api:\n${sleeper}  web-api:\n${sleeper}  probe:\n${sleeper}`,
);

const ipOf = async (name: string) =>
  (
    await docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      `${project}-${name}`,
    )
  ).trim();

/** The addresses `name` resolves to from the probe container (the server's own left out). */
async function resolved(name: string): Promise<string[]> {
  const out = await docker('exec', `${project}-probe`, 'nslookup', name, '127.0.0.11');
  const answer = out.slice(out.indexOf('Name:'));
  return [...answer.matchAll(/Address(?: \d+)?:\s*([\d.]+)/g)].map((m) => m[1] ?? '');
}

describe('Compose service names that make one DNS label (F182)', () => {
  it('each name resolves to its own service only, as under docker compose', async () => {
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd: dir, env: state });
    expect(imported.code, imported.stderr).toBe(0);
    const applied = await berth(['apply', '-f', join(dir, 'out')], { env: state });
    expect(applied.code, applied.stderr).toBe(0);
    expect(await resolved('web-api')).toEqual([await ipOf('web-api')]);
    expect(await resolved('web_api')).toEqual([await ipOf('web-api-2')]);
  });
});
