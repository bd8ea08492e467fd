import { describe, expect, it } from 'vitest';
import type { ContainerObject, DesiredObject } from '../../specs/model.js';
import { desiredFrom } from '../../test/support/manifests.js';
import type { ObservedContainer } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { replaceCause } from './plan-container.js';
import { containerFieldHashes, encodeFieldHashes } from './spec-fields.js';

// F116: DESIGN.md "Changing only `spec.update` never recreates". `update` was in the spec hash;
// a container made then must not be replaced on upgrade either.
const set = (update: string, env = 'one') =>
  desiredFrom(`apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/berth-busybox:1
  env: {MODE: ${env}}
  ${update}
`);
const web = (objects: DesiredObject[]) =>
  objects.find((o) => o.kind === 'Container') as ContainerObject;

function observedAs(
  objects: DesiredObject[],
  labels: { hash?: string; fields?: string },
): ObservedContainer {
  const c = web(objects);
  return {
    id: 'c1',
    name: 'p-web',
    state: 'running',
    imageId: 'sha256:x',
    labels: {
      [LABEL.specHash]: labels.hash ?? c.specHash,
      [LABEL.specFields]: labels.fields ?? encodeFieldHashes(containerFieldHashes(c, objects)),
    },
  } as unknown as ObservedContainer;
}

describe('spec.update is not a recreate field (F116)', () => {
  it('a changed update leaves the hash and the causes as they were', async () => {
    const a = await set('update: {order: start-first, onFailure: pause}');
    const b = await set('update: {order: stop-first, minReady: 5s}');
    const none = await set('');
    expect(web(b).specHash).toBe(web(a).specHash);
    expect(web(none).specHash).toBe(web(a).specHash);
    const ctx = { project: 'p', desired: b, observed: observedAs(a, {}) };
    expect(replaceCause(web(b), ctx)).toBeUndefined();
  });

  it('a container labelled while update was hashed differs only by it: not replaced', async () => {
    const b = await set('update: {order: stop-first}');
    const fields = `${encodeFieldHashes(containerFieldHashes(web(b), b))},update=0badc0de`;
    const observed = observedAs(b, { hash: 'oldhash', fields });
    expect(replaceCause(web(b), { project: 'p', desired: b, observed })).toBeUndefined();
    // Any other change beside it still recreates, and is named.
    const c = await set('update: {order: stop-first}', 'two');
    expect(replaceCause(web(c), { project: 'p', desired: c, observed })).toMatch(/env/);
  });
});
