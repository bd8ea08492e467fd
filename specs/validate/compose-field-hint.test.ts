import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';

/** F841: Compose's service keys that berth spells otherwise say what to write. */
describe('Compose keys in a Container spec', () => {
  it('name the berth spelling; near misses keep "did you mean"', async () => {
    const { problems } = await loadManifests(['-'], {
      stdin: `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/x:1
  secrets: [pw]
  restart: always
  working_dir: /srv
`,
      env: {},
    });
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      `6:3 Container "web": spec.secrets is not a known field; Compose's "secrets" is written mounts: [{secret: NAME}] (and a Secret object NAME) (berth import converts Compose files)`,
      `7:3 Container "web": spec.restart is not a known field; Compose's "restart" is written restartPolicy: Always | OnFailure | Never (berth import converts Compose files)`,
      `8:3 Container "web": spec.working_dir is not a known field; did you mean "workingDir"?`,
    ]);
  });

  it('only at the top of a Container spec', async () => {
    const { problems } = await loadManifests(['-'], {
      stdin: `apiVersion: berth/v1
kind: Volume
metadata: {name: data}
spec: {secrets: x}
`,
      env: {},
    });
    expect(problems[0]?.message).toBe('Volume "data": spec.secrets is not a known field');
  });
});
