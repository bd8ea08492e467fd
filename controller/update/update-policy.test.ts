import { describe, expect, it } from 'vitest';
import type { ContainerSpec, DesiredObject } from '../../specs/model.js';
import { socketBindsOf, updatePolicy } from './update-policy.js';

/** The fields updatePolicy reads; the rest of a spec does not bear on the order. */
function spec(fields: Partial<ContainerSpec>): ContainerSpec {
  return { ports: [], mounts: [], networks: [], ...fields } as unknown as ContainerSpec;
}

const reasonOf = (fields: Partial<ContainerSpec>) => updatePolicy(spec(fields)).reason;

/**
 * DESIGN.md "Updates and rollback": start-first unless something only one container can hold
 * forces stop-first. FINDINGS F185: a static address, the host network and a writable bind
 * mount used to get start-first — every update of the first two failed (the `-next` could not
 * take the address or the port), and old and new wrote the same files during the gate.
 */
describe('the default update order', () => {
  it('is start-first when nothing exclusive is held', () => {
    expect(reasonOf({})).toBe('start-first: no host port, address or writable volume is held');
    expect(
      reasonOf({
        networks: [{ network: 'n', aliases: [] }],
        mounts: [
          { type: 'bind', bindMount: 'conf', target: '/etc/app', readOnly: true },
          { type: 'volume', volume: 'cache', target: '/cache', readOnly: true },
        ],
      }),
    ).toMatch(/^start-first: /);
  });

  it('is stop-first for a published host port or a writable named volume (as before)', () => {
    expect(
      reasonOf({
        ports: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' }],
      }),
    ).toBe('stop-first: host port 127.0.0.1:8080 is held by the running container');
    // F813: a range read "host port a port of …".
    expect(
      reasonOf({
        ports: [
          { containerPort: 80, hostPort: 8000, hostPortEnd: 8010, hostIP: '', protocol: 'tcp' },
        ],
      }),
    ).toBe('stop-first: host ports 0.0.0.0:8000-8010 are held by the running container');
    expect(
      reasonOf({ mounts: [{ type: 'volume', volume: 'db', target: '/db', readOnly: false }] }),
    ).toBe('stop-first: volume db is written by the running container');
  });

  it('is stop-first for a static IPv4 or IPv6 address, naming it and its network (F185)', () => {
    expect(
      reasonOf({ networks: [{ network: 'n', aliases: [], ipv4Address: '172.29.51.53' }] }),
    ).toBe('stop-first: address 172.29.51.53 on network n is held by the running container');
    expect(
      reasonOf({
        networks: [
          { network: 'a', aliases: [] },
          { network: 'v6', aliases: [], ipv6Address: 'fd00:51::53' },
        ],
      }),
    ).toBe('stop-first: address fd00:51::53 on network v6 is held by the running container');
  });

  it('is stop-first for networkMode host (F185)', () => {
    expect(reasonOf({ networkMode: 'host' })).toBe(
      "stop-first: the host network (its ports are the host's) is held by the running container",
    );
  });

  it('is stop-first for a writable bind mount, not a read-only one (F185)', () => {
    expect(
      reasonOf({
        mounts: [
          { type: 'bind', bindMount: 'conf', target: '/etc/app', readOnly: true },
          { type: 'bind', bindMount: 'data', target: '/data', readOnly: false },
        ],
      }),
    ).toBe('stop-first: bind mount data is written by the running container');
  });

  it('is start-first for a writable bind mount of a socket: no store, made for many clients (F252)', () => {
    const desired = [
      { kind: 'BindMount', name: 'sock', spec: { type: 'Socket', hostPath: '/run/x.sock' } },
      { kind: 'BindMount', name: 'db', spec: { type: 'FileOrCreate', hostPath: '/srv/app.db' } },
    ] as unknown as DesiredObject[];
    const sockets = socketBindsOf(desired);
    expect([...sockets]).toEqual(['sock']);
    const mounts = (name: string) => [
      { type: 'bind', bindMount: name, target: `/${name}`, readOnly: false },
    ];
    expect(
      updatePolicy(spec({ mounts: mounts('sock') } as Partial<ContainerSpec>), sockets).reason,
    ).toMatch(/^start-first: /);
    // Without the BindMounts' types (or for a single file, which may be a locked database) it still counts.
    expect(updatePolicy(spec({ mounts: mounts('sock') } as Partial<ContainerSpec>)).order).toBe(
      'stop-first',
    );
    expect(
      updatePolicy(spec({ mounts: mounts('db') } as Partial<ContainerSpec>), sockets).reason,
    ).toBe('stop-first: bind mount db is written by the running container');
  });

  it('a declared order wins over all of these', () => {
    const declared = updatePolicy(
      spec({ networkMode: 'host', update: { order: 'start-first' } } as Partial<ContainerSpec>),
    );
    expect(declared.order).toBe('start-first');
    expect(declared.reason).toBe('start-first: declared in spec.update.order');
  });
});
