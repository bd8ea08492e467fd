import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * FINDINGS F191: `-p` values that are not project names were rewritten (`-p x.y` → `xy`,
 * `-p ../etc` → `etc`), so two names landed in one project. Every verb that takes `-p` now
 * refuses them as docker compose does: exit 1, nothing done.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-pflag-'));
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'app.yaml'), sleeperYaml('web'));
const env = { XDG_STATE_HOME: join(work, 'state') };
afterAll(() => rmSync(work, { recursive: true, force: true }));

const VERBS: string[][] = [
  ['plan'],
  ['diff'],
  ['apply'],
  ['delete'],
  ['delete', 'container/web'],
  ['down'],
  ['get'],
  ['describe', 'container/web'],
  ['status'],
  ['history'],
  ['logs', 'web'],
  ['exec', 'web', '--', 'true'],
  ['cp', 'web:/etc/hostname', join(work, 'h')],
  ['restart', 'web'],
  ['run', 'web', '--rm'],
  ['push'],
  ['rollback'],
  ['hold'],
  ['release'],
  ['watch', '.'],
  ['up'],
  ['export', 'kubernetes'],
];

describe('-p that is not a valid project name', () => {
  for (const verb of VERBS)
    it(`berth -p x.y ${verb.join(' ')}: refused, exit 1`, async () => {
      const run = await berth(['-p', 'x.y', ...verb], { cwd: app, env });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toContain(
        'error: invalid project name "x.y": must contain only lowercase letters, decimal digits, dashes and underscores, and must begin with a lowercase letter or decimal digit (from -p/--project)\n',
      );
    });

  it('import: -p and a Compose name: that are not valid are refused, exit 1 (F191)', async () => {
    const compose = join(work, 'compose');
    mkdirSync(compose);
    writeFileSync(join(compose, 'compose.yaml'), 'services: {web: {image: x:1}}\n');
    const flagged = await berth(['import', '-p', 'Café'], { cwd: compose, env });
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toContain('invalid project name "Café"');
    writeFileSync(
      join(compose, 'compose.yaml'),
      '# app\nname: MyApp.Prod\nservices: {web: {image: x:1}}\n',
    );
    const named = await berth(['import'], { cwd: compose, env });
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('compose.yaml:2:1: name: invalid project name "MyApp.Prod"');
  });
});
