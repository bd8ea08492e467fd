import { describe, expect, it } from 'vitest';
import { importLines } from '../../test/support/compose-imported.js';

const networksOf = (r: ReturnType<typeof importLines>, name: string) =>
  r.objects.find((o) => o.kind === 'Container' && o.name === name)?.spec.networks;

describe('berth import: a service-level mac_address', () => {
  it('goes on the only network the service joins, its own or the default', () => {
    const r = importLines([
      'services:',
      '  web:',
      '    image: busybox:1',
      '    mac_address: 02:42:ac:1e:00:0a',
      '  api:',
      '    image: busybox:1',
      '    mac_address: 02:42:ac:1e:00:0b',
      '    networks: {back: {aliases: [x]}}',
      'networks:',
      '  back: {}',
    ]);
    expect(r.losses).toEqual([]);
    expect(networksOf(r, 'web')).toEqual([{ network: 'default', macAddress: '02:42:ac:1e:00:0a' }]);
    expect(networksOf(r, 'api')).toEqual([
      { network: 'back', aliases: ['x'], macAddress: '02:42:ac:1e:00:0b' },
    ]);
  });

  it('stays a loss with several networks, a network mode, or another MAC on the network', () => {
    const r = importLines([
      'services:',
      '  two:',
      '    image: busybox:1',
      '    mac_address: 02:42:ac:1e:00:0a',
      '    networks: [a, b]',
      '  bridged:',
      '    image: busybox:1',
      '    mac_address: 02:42:ac:1e:00:0b',
      '    network_mode: bridge',
      '  clash:',
      '    image: busybox:1',
      '    mac_address: 02:42:ac:1e:00:0c',
      '    networks: {a: {mac_address: 02:42:ac:1e:00:0d}}',
      'networks:',
      '  a: {}',
      '  b: {}',
    ]);
    expect(r.losses.map((l) => `${l.where.line}: ${l.path}: ${l.why}`)).toEqual([
      '4: services.two.mac_address: the service joins several networks: set mac_address under the network it is for (berth: macAddress on that attachment)',
      '8: services.bridged.mac_address: with network_mode bridge berth has no network attachment to give it',
      "12: services.clash.mac_address: conflicts with the network's own mac_address 02:42:ac:1e:00:0d",
    ]);
    expect(networksOf(r, 'bridged')).toBeUndefined();
    expect(networksOf(r, 'clash')).toEqual([{ network: 'a', macAddress: '02:42:ac:1e:00:0d' }]);
  });
});
