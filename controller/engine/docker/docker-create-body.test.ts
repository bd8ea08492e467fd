import { describe, expect, it } from 'vitest';
import { toCreateBody, toEndpointConfig } from './docker-create-body.js';
import type { ContainerCreateRequest } from '../engine.js';
import { createRequest } from '../testing/create-request.js';

const base: ContainerCreateRequest = createRequest({ name: 'p-web', image: 'busybox:1' });

describe('toCreateBody: issue-12 fields', () => {
  it('maps runtime options where docker/compose puts them', () => {
    const body = toCreateBody({
      ...base,
      hostname: 'web',
      domainname: 'internal',
      tty: true,
      openStdin: true,
      stopSignal: 'SIGINT',
      expose: ['9000/tcp'],
      networkMode: 'container:p-db',
      capAdd: ['CAP_NET_ADMIN'],
      ulimits: [{ name: 'nofile', soft: 1, hard: 2 }],
      gpus: { count: -1 },
      logging: { driver: 'json-file', options: { 'max-size': '1m' } },
      cpuset: '0',
      memorySwapBytes: -1,
    });
    expect(body).toMatchObject({
      Hostname: 'web',
      Domainname: 'internal',
      Tty: true,
      OpenStdin: true,
      StopSignal: 'SIGINT',
      ExposedPorts: { '9000/tcp': {} },
      HostConfig: {
        NetworkMode: 'container:p-db',
        CapAdd: ['CAP_NET_ADMIN'],
        Ulimits: [{ Name: 'nofile', Soft: 1, Hard: 2 }],
        DeviceRequests: [{ Driver: '', Count: -1, Capabilities: [['gpu']], Options: {} }],
        LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
        CpusetCpus: '0',
        MemorySwap: -1,
      },
    });
    expect(body).not.toHaveProperty('NetworkingConfig');
  });

  it('names the runtime in HostConfig.Runtime, only when declared', () => {
    const host = (runtime?: string) =>
      toCreateBody({ ...base, ...(runtime && { runtime }) }).HostConfig as Record<string, unknown>;
    expect(host('nvidia').Runtime).toBe('nvidia');
    expect(host().Runtime).toBeUndefined();
  });

  it('maps mount options and endpoint addresses', () => {
    const body = toCreateBody({
      ...base,
      mounts: [
        { type: 'bind', source: '/s', target: '/t', readOnly: false, propagation: 'rslave' },
        { type: 'volume', source: 'v', target: '/d', readOnly: false, subpath: 'a', noCopy: true },
        { type: 'tmpfs', target: '/run', sizeBytes: 1024, mode: 0o750 },
      ],
      networks: [{ name: 'p-net', aliases: ['web'], ipv4Address: '10.0.0.5', macAddress: 'x' }],
    });
    expect((body.HostConfig as { Mounts: unknown[] }).Mounts).toEqual([
      {
        Type: 'bind',
        Source: '/s',
        Target: '/t',
        ReadOnly: false,
        BindOptions: { Propagation: 'rslave' },
      },
      {
        Type: 'volume',
        Source: 'v',
        Target: '/d',
        ReadOnly: false,
        VolumeOptions: { NoCopy: true, Subpath: 'a' },
      },
      { Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 1024, Mode: 0o750 } },
    ]);
    expect(body.MacAddress).toBe('x');
    expect(toEndpointConfig({ name: 'n', aliases: [] })).toEqual({ Aliases: [] });
    expect(body.NetworkingConfig).toEqual({
      EndpointsConfig: {
        'p-net': { Aliases: ['web'], IPAMConfig: { IPv4Address: '10.0.0.5' }, MacAddress: 'x' },
      },
    });
  });

  it('sends SELinux-relabelled binds as HostConfig.Binds (the Mounts API has no relabel), the rest as Mounts', () => {
    const body = toCreateBody({
      ...base,
      mounts: [
        { type: 'bind', source: '/s', target: '/t', readOnly: true, selinux: 'z' },
        {
          type: 'bind',
          source: '/u',
          target: '/v',
          readOnly: false,
          selinux: 'Z',
          propagation: 'rslave',
        },
        { type: 'bind', source: '/w', target: '/x', readOnly: false },
      ],
    });
    const host = body.HostConfig as { Binds: string[]; Mounts: { Target: string }[] };
    expect(host.Binds).toEqual(['/s:/t:ro,z', '/u:/v:rw,Z,rslave']);
    expect(host.Mounts.map((m) => m.Target)).toEqual(['/x']);
    expect(toCreateBody(base).HostConfig).not.toHaveProperty('Binds');
  });

  it('sends SELinux-relabelled volumes as HostConfig.Binds too (name:/dst:rw,z,nocopy), as docker/compose does', () => {
    const body = toCreateBody({
      ...base,
      mounts: [
        { type: 'volume', source: 'p-data', target: '/d', readOnly: false, selinux: 'z' },
        {
          type: 'volume',
          source: 'p-db',
          target: '/db',
          readOnly: true,
          selinux: 'Z',
          noCopy: true,
        },
        { type: 'volume', source: 'p-plain', target: '/p', readOnly: false },
      ],
    });
    const host = body.HostConfig as { Binds: string[]; Mounts: { Target: string }[] };
    expect(host.Binds).toEqual(['p-data:/d:rw,z', 'p-db:/db:ro,Z,nocopy']);
    expect(host.Mounts.map((m) => m.Target)).toEqual(['/p']);
  });

  it('sends a tmpfs with an owner as HostConfig.Tmpfs mount options (the Mounts API has no uid), the rest as Mounts', () => {
    const body = toCreateBody({
      ...base,
      mounts: [
        { type: 'tmpfs', target: '/run', sizeBytes: 1024, mode: 0o750, uid: 1000, gid: 0 },
        { type: 'tmpfs', target: '/own', gid: 50 },
        { type: 'tmpfs', target: '/tmp', mode: 0o1777 },
      ],
    });
    const host = body.HostConfig as { Tmpfs: Record<string, string>; Mounts: { Target: string }[] };
    expect(host.Tmpfs).toEqual({ '/run': 'size=1024,mode=750,uid=1000,gid=0', '/own': 'gid=50' });
    expect(host.Mounts.map((m) => m.Target)).toEqual(['/tmp']);
    expect(toCreateBody(base).HostConfig).not.toHaveProperty('Tmpfs');
  });

  it('sends a tmpfs with mount flags as HostConfig.Tmpfs (the Mounts API of 1.41 has no flags; F139)', () => {
    const body = toCreateBody({
      ...base,
      mounts: [{ type: 'tmpfs', target: '/tmp', sizeBytes: 1024, options: ['noexec', 'nosuid'] }],
    });
    const host = body.HostConfig as { Tmpfs: Record<string, string>; Mounts?: unknown[] };
    expect(host.Tmpfs).toEqual({ '/tmp': 'noexec,nosuid,size=1024' });
    expect(host.Mounts ?? []).toEqual([]);
  });

  it('publishes a host range as the docker CLI sends `-p 8000-8010:80`: one binding, HostPort "8000-8010"', () => {
    const body = toCreateBody({
      ...base,
      ports: [
        {
          containerPort: 80,
          hostPort: 8000,
          hostPortEnd: 8010,
          hostIP: '127.0.0.1',
          protocol: 'tcp',
        },
        { containerPort: 81, hostPort: 9000, hostIP: '', protocol: 'udp' },
        { containerPort: 82, hostIP: '', protocol: 'tcp' },
      ],
    });
    expect((body.HostConfig as { PortBindings: unknown }).PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8000-8010' }],
      '81/udp': [{ HostIp: '', HostPort: '9000' }],
      '82/tcp': [{ HostIp: '', HostPort: '' }],
    });
  });

  it('sends healthcheck.startInterval as StartInterval in nanoseconds, only when declared', () => {
    const check = {
      test: ['CMD', 'true'],
      intervalMs: 5000,
      timeoutMs: 1000,
      retries: 3,
      startPeriodMs: 0,
    };
    const with1s = toCreateBody({ ...base, healthcheck: { ...check, startIntervalMs: 1000 } });
    expect(with1s.Healthcheck).toMatchObject({ StartInterval: 1_000_000_000 });
    expect(JSON.stringify(toCreateBody({ ...base, healthcheck: check }))).not.toMatch(
      /StartInterval/,
    );
  });
});
