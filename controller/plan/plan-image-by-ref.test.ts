import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { desiredFrom } from '../../test/support/manifests.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeAndPlan } from '../observe.js';
import { formatPlan } from './plan-format.js';

/**
 * F840: a container that names a declared Image by its ref (Compose's `image:` + `build:`)
 * waits for that Image; the ref was planned as a pull of its own, run beside the build, and
 * the first apply failed with "cannot pull".
 */
const set = (second = '') => `
apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec:
  ref: localhost/app:1
  build: {context: .}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/app:1
${second}`;

const planText = async (yaml: string) => {
  const engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
  const context = tempDir('berth-image-ref-');
  writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\n');
  const desired = await desiredFrom(yaml, context);
  return formatPlan(
    (await observeAndPlan(engine, { project: 'demo', desired, prune: false })).plan,
  );
};

describe('a container naming a declared Image by its ref', () => {
  it('is planned after the build, with no pull of the same ref', async () => {
    const text = await planText(set());
    expect(text).toMatch(/\+ Image\/app +build/);
    expect(text).not.toMatch(/pull/);
    expect(text).toMatch(/\+ Container\/web +create/);
  });

  it('a ref two Images share links to neither: the container pulls it, as before', async () => {
    const text = await planText(
      set(`---
apiVersion: berth/v1
kind: Image
metadata: {name: other}
spec:
  ref: localhost/app:1
  build: {context: .}
`),
    );
    expect(text).toMatch(/\+ Image\/localhost\/app:1 +pull/);
  });
});
