import { describe, expect, it } from 'vitest';
import { composeRefusals } from '../../test/support/compose-refusals.js';

/** Every problem import reports for a compose.yaml of these lines, as `file:line:col: msg [code]`. */
const refusal = (lines: string[]) => composeRefusals(lines);

const WEB = ['services:', '  web:', '    image: localhost/berth-busybox:1'];

describe('berth import: one container path, one mount; one network, one attachment (F461)', () => {
  it('refuses two mounts at one path across volumes, tmpfs and secrets, at the second', () => {
    expect(
      refusal([
        ...WEB,
        '    volumes:',
        '      - data:/data',
        '      - ./site:/data/',
        '      - {type: tmpfs, target: /t}',
        '    tmpfs: [/t, /cache]',
        '    secrets: [token, {source: token, target: token}]',
        'volumes: {data: {}}',
        'secrets: {token: {environment: HOME}}',
      ]),
    ).toEqual([
      'compose.yaml:6:9: services.web.volumes[1]: /data is already mounted by services.web.volumes[0] (line 5); the engine refuses a duplicate mount point [E_DUPLICATE_MOUNT]',
      'compose.yaml:8:13: services.web.tmpfs[0]: /t is already mounted by services.web.volumes[2] (line 7); the engine refuses a duplicate mount point [E_DUPLICATE_MOUNT]',
      'compose.yaml:9:22: services.web.secrets[1]: /run/secrets/token is already mounted by services.web.secrets[0] (line 9); the engine refuses a duplicate mount point [E_DUPLICATE_MOUNT]',
    ]);
  });

  it('imports nested paths, one volume at two paths, and a target held in a variable', () => {
    expect(
      refusal([
        ...WEB,
        '    volumes: ["data:/data", "data:/data/sub", "data:/other", "./x:${T:-/data}"]',
        'volumes: {data: {}}',
      ]),
    ).toEqual([]);
  });

  it('refuses a networks list that names one network twice (Compose: items must be unique)', () => {
    expect(
      refusal([...WEB, '    networks: [front, back, front]', 'networks: {front: {}, back: {}}']),
    ).toEqual([
      'compose.yaml:4:29: services.web.networks[2]: front is already listed by services.web.networks[0] (line 4); Compose refuses a network listed twice [E_DUPLICATE_NETWORK]',
    ]);
  });
});
