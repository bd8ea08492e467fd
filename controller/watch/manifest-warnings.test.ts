import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DesiredStore } from './desired-store.js';
import { ManifestWarnings } from './manifest-warnings.js';

/** F291: watch dropped the set's warnings (an env file's unset `${VAR}` left blank, F188). */

const UNSET = 'BERTH_F291_NEVER_SET';
const manifest = `apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: localhost/berth-busybox:1
  envFiles: [./app.env]
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-warnings-'));
  await writeFile(join(dir, 'app.yaml'), manifest);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the desired set's warnings under watch (F291)", () => {
  it('are kept on the snapshot, beside a broken file, and with the set a broken .env keeps', async () => {
    await writeFile(join(dir, 'app.env'), `URL=pg://\${${UNSET}}@db\n`);
    const store = new DesiredStore({ dir, allowEmpty: false });
    const { snapshot } = await store.reload();
    expect(snapshot.warnings).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/app\.yaml$/),
        message: expect.stringMatching(
          new RegExp(`app\\.env:1:\\d+: variable ${UNSET} is not set .*left blank`),
        ),
      }),
    ]);
    // A broken file next to it: the file that reads still warns.
    await writeFile(join(dir, 'b.yaml'), 'kind: [');
    const broken = await store.reload();
    expect(broken.snapshot.problems).not.toEqual([]);
    expect(broken.snapshot.warnings).toEqual(snapshot.warnings);
    // A broken .env keeps the last set (nothing is read without its values): and its warnings.
    await writeFile(join(dir, '.env'), 'A="unterminated\n');
    const kept = await store.reload();
    expect(kept.snapshot.notice).toMatch(/keeping the last set/);
    expect(kept.snapshot.warnings).toEqual(snapshot.warnings);
  });

  it('are said when the set changes or they do, not on every reload; clearing is said once', async () => {
    await writeFile(join(dir, 'app.env'), `URL=pg://\${${UNSET}}@db\n`);
    const store = new DesiredStore({ dir, allowEmpty: false });
    const warnings = new ManifestWarnings();
    const first = await store.reload();
    const said = warnings.toSay(first.snapshot, first.changed.length > 0);
    expect(said).toEqual([expect.stringMatching(/app\.yaml:\d+:\d+: warning: Container "app": /)]);
    for (let i = 0; i < 3; i++) {
      const again = await store.reload();
      expect(again.changed).toEqual([]);
      expect(warnings.toSay(again.snapshot, false)).toBeUndefined();
    }
    // The same warnings with another set (a new revision): said again, once.
    await writeFile(join(dir, 'app.env'), `URL=pg://\${${UNSET}}@db\nMODE=two\n`);
    const changed = await store.reload();
    expect(changed.changed).toEqual(['Container/app']);
    expect(warnings.toSay(changed.snapshot, true)).toEqual(said);
    // Fixed: an empty list says they cleared; then nothing.
    await writeFile(join(dir, 'app.env'), 'URL=pg://me@db\nMODE=two\n');
    const fixed = await store.reload();
    expect(warnings.toSay(fixed.snapshot, fixed.changed.length > 0)).toEqual([]);
    expect(warnings.toSay((await store.reload()).snapshot, false)).toBeUndefined();
  });
});
