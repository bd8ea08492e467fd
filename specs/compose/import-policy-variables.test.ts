import { describe, expect, it } from 'vitest';
import { importAndLoad } from '../../test/support/compose-imported.js';

/**
 * A bind mount whose host path is a variable the project's `.env` sets to a path the policy
 * forbids (the OpenTelemetry demo: `${DOCKER_SOCK}:/var/run/docker.sock` beside
 * `DOCKER_SOCK=/var/run/docker.sock`, `${HOST_FILESYSTEM}:/hostfs` beside `HOST_FILESYSTEM=/`)
 * is judged by that value, as `berth validate` of the output judges it: left out as a loss
 * naming the flag that keeps it. Before, import kept it and validate refused the output
 * (E_POLICY).
 */
describe('berth import: a host path given by a variable is fitted to the policy by its value', () => {
  it('leaves out what the .env makes a forbidden path, keeps what it makes an allowed one', async () => {
    const { result, loaded } = await importAndLoad(
      [
        'services:',
        '  collector:',
        '    image: busybox',
        '    volumes:',
        '      - ${HOST_FILESYSTEM}:/hostfs:ro',
        '      - ${DOCKER_SOCK}:/var/run/docker.sock:ro',
        '      - ${CONFIG_DIR:-./config}:/etc/collector',
        '',
      ].join('\n'),
      { dotEnv: 'HOST_FILESYSTEM=/\nDOCKER_SOCK=/var/run/docker.sock\n' },
    );
    expect(loaded.problems.map((p) => `${p.message} [${p.code}]`)).toEqual([]);
    expect(result.losses.map((l) => `${l.where.line} ${l.path}: ${l.why}`)).toEqual([
      '5 services.collector.volumes[0]: / may not be mounted (forbidden by policy); not carried under the baseline policy (import and apply with --allow-host-path / to keep it)',
      '6 services.collector.volumes[1]: /var/run/docker.sock may not be mounted (forbidden by policy); not carried under the baseline policy (import and apply with --allow-host-path /var/run/docker.sock to keep it)',
    ]);
    const collector = loaded.set.objects.find((o) => o.kind === 'Container');
    expect(collector?.kind === 'Container' && collector.spec.mounts).toEqual([
      expect.objectContaining({ target: '/etc/collector' }),
    ]);
  });
});
