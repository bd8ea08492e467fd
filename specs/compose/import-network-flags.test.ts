import { importAndLoad } from '../../test/support/compose-imported.js';
import { describe, expect, it } from 'vitest';

/**
 * A Compose network's boolean fields as compose-go reads them: `internal: "true"`, `yes`, a
 * `${…}` (mailcow's `enable_ipv6: ${ENABLE_IPV6:-true}`). Before, anything but a YAML `true`
 * became `internal: false` / no IPv6 without a word, and import said lossless.
 */
async function imported(network: string[], env: Record<string, string> = {}) {
  const lines = ['services:', '  w:', '    image: busybox:1', '    networks: [n]', 'networks:'];
  const compose = [...lines, '  n:', ...network.map((l) => `    ${l}`), ''].join('\n');
  const { result, loaded } = await importAndLoad(compose, { env });
  const spec = loaded.set.objects.find((o) => o.kind === 'Network')?.spec as
    Record<string, unknown> | undefined;
  return {
    losses: result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`),
    problems: loaded.problems.map((p) => `${p.message} [${p.code}]`),
    internal: spec?.internal,
    attachable: spec?.attachable,
    enableIPv6: spec?.enableIPv6,
    ipam: spec?.ipam,
    ipamMore: spec?.ipamMore,
  };
}

describe('berth import: boolean network fields as Compose casts them', () => {
  it('carries internal/attachable written as a quoted word or a YAML 1.1 word', async () => {
    const got = await imported(['internal: "true"', 'attachable: yes']);
    expect(got).toMatchObject({ losses: [], problems: [], internal: true, attachable: true });
  });

  it('keeps a variable as written; validate casts it', async () => {
    const got = await imported(['internal: ${INTERNAL:-true}']);
    expect(got).toMatchObject({ losses: [], problems: [], internal: true });
    expect((await imported(['internal: ${INTERNAL}'], { INTERNAL: 'false' })).internal).toBe(false);
  });

  it('names a value that is no boolean as a loss', async () => {
    const got = await imported(['internal: maybe']);
    expect(got.losses).toEqual(['7:5 networks.n.internal: not a boolean']);
  });

  it('carries enable_ipv6 (a variable kept for validate to cast) and every ipam subnet (mailcow)', async () => {
    const got = await imported([
      'enable_ipv6: ${ENABLE_IPV6:-true}',
      'ipam:',
      '  driver: default',
      '  config:',
      '    - subnet: ${IPV4_NETWORK:-172.22.1}.0/24',
      '    - {subnet: "${IPV6_NETWORK:-fd4d:6169:6c63:6f77::/64}", gateway: "fd4d:6169:6c63:6f77::1"}',
    ]);
    expect(got).toMatchObject({
      losses: [],
      problems: [],
      enableIPv6: true,
      ipam: { subnet: '172.22.1.0/24' },
      ipamMore: [{ subnet: 'fd4d:6169:6c63:6f77::/64', gateway: 'fd4d:6169:6c63:6f77::1' }],
    });
    const off = await imported(['enable_ipv6: "false"', 'ipam: {config: [{subnet: 10.9.0.0/24}]}']);
    expect(off).toMatchObject({ losses: [], problems: [], ipam: { subnet: '10.9.0.0/24' } });
    expect(off.enableIPv6).toBeUndefined();
    expect(off.ipamMore).toBeUndefined();
  });

  it('carries ip_range and aux_addresses as ipRange and auxAddresses (F602), without a loss', async () => {
    const got = await imported([
      'ipam:',
      '  config:',
      '    - subnet: 10.9.0.0/24',
      '      ip_range: 10.9.0.128/25',
      '      aux_addresses: {router: 10.9.0.2, printer: 10.9.0.3}',
    ]);
    expect(got).toMatchObject({
      losses: [],
      problems: [],
      ipam: {
        subnet: '10.9.0.0/24',
        ipRange: '10.9.0.128/25',
        auxAddresses: { printer: '10.9.0.3', router: '10.9.0.2' },
      },
    });
  });

  it('an ip_range outside its subnet is a problem at the imported field', async () => {
    const got = await imported(['ipam: {config: [{subnet: 10.9.0.0/24, ip_range: 10.8.0.0/25}]}']);
    expect(got.losses).toEqual([]);
    expect(got.problems).toEqual([
      'Network "n": spec.ipam.ipRange 10.8.0.0/25 is not inside the subnet 10.9.0.0/24 [E_CIDR]',
    ]);
  });

  it('a static ipv6_address in the second (IPv6) subnet validates', async () => {
    const lines = [
      'services:',
      '  w:',
      '    image: busybox:1',
      '    networks: {n: {ipv4_address: 10.9.0.5, ipv6_address: "fd00:9::5"}}',
      'networks:',
      '  n:',
      '    enable_ipv6: true',
      '    ipam: {config: [{subnet: 10.9.0.0/24}, {subnet: "fd00:9::/64"}]}',
    ];
    const { result, loaded } = await importAndLoad([...lines, ''].join('\n'));
    expect(result.losses).toEqual([]);
    expect(loaded.problems.map((p) => p.message)).toEqual([]);
  });
});
