import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { importCompose } from './index.js';
import { dotEnvWithBlankDefaults } from './dot-env.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe("berth import: an unset variable in the project's .env (F783)", () => {
  it('is written as an explicit blank, with Compose warning, and the output validates', async () => {
    const dir = tempDir('berth-import-dotenv-blank-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  app:\n    image: localhost/x:1\n    environment: {FROM: "${MAIL_FROM_NAME}"}\n',
    );
    // Laravel's template: MAIL_FROM_NAME names APP_NAME, which this .env never sets.
    writeFileSync(
      join(dir, '.env'),
      [
        'MAIL_FROM_NAME="${APP_NAME} mailer"',
        "LITERAL='${APP_NAME}'",
        'TWICE=$APP_NAME-${APP_NAME}-${SET}',
        'SET=ok',
        'KEPT=${SET}',
        '',
      ].join('\n'),
    );
    const out = tempDir('berth-import-dotenv-blank-out-');
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    expect(
      r.warnings.map((w) => `${w.where.file}:${w.where.line}:${w.where.column} ${w.message}`),
    ).toEqual(
      expect.arrayContaining([
        '.env:1:17 The "APP_NAME" variable is not set. Defaulting to a blank string.',
        '.env:3:7 The "APP_NAME" variable is not set. Defaulting to a blank string.',
        '.env:3:17 The "APP_NAME" variable is not set. Defaulting to a blank string.',
        '.env:3:29 The "SET" variable is not set. Defaulting to a blank string.',
      ]),
    );
    expect(r.dotEnv.text.split('\n').slice(0, 5)).toEqual([
      'MAIL_FROM_NAME="${APP_NAME:-} mailer"',
      "LITERAL='${APP_NAME}'",
      'TWICE=${APP_NAME:-}-${APP_NAME:-}-${SET:-}',
      'SET=ok',
      'KEPT=${SET}',
    ]);
    for (const [name, text] of r.manifests) writeFileSync(join(out, name), text);
    writeFileSync(join(out, '.env'), r.dotEnv.text);
    const loaded = await loadManifests([out], { cwd: out, env: {} });
    expect(loaded.problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Container')?.spec;
    expect(app).toMatchObject({ env: { FROM: ' mailer' } });
  });

  it('leaves a variable the environment sets, and a required one, as written', () => {
    const text = 'A="${FROM_ENV}"\nB=${NEEDED?set it}\n';
    expect(dotEnvWithBlankDefaults(text, { FROM_ENV: 'x' })).toEqual({ text, blanked: [] });
  });
});
