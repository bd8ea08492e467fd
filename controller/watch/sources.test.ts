import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine.js';
import { isLoopback, parseListenAddress } from '../api/listen-address.js';
import { changeOf } from '../engine/docker/docker-events.js';
import { workForEvent } from './event-source.js';
import { eventInProject } from '../engine/event-scope.js';
import { declaredResourceNames } from '../labels.js';
import type { DesiredObject } from '../../specs/model.js';
import { ignoredPath } from './folder-source.js';

/** An event as the Docker adapter delivers it: `change` from its action. */
const event = (e: Partial<EngineEvent>): EngineEvent => {
  const raw = { type: 'container' as const, action: 'die', id: 'x', labels: {}, time: 0, ...e };
  const change = changeOf(raw.type, raw.action);
  return { ...raw, ...(change ? { change } : {}) };
};
const labels = { 'berth.project': 'p', 'berth.kind': 'Container', 'berth.name': 'web' };

describe('Docker event actions to changes', () => {
  it('names what changed, and nothing for actions that change nothing declared', () => {
    expect(changeOf('container', 'die')).toBe('exited');
    expect(changeOf('container', 'oom')).toBe('exited');
    expect(changeOf('container', 'unpause')).toBe('unpaused');
    expect(changeOf('container', 'health_status: unhealthy')).toBe('health');
    expect(changeOf('container', 'exec_start: sh')).toBeUndefined();
    expect(changeOf('container', 'start')).toBe('started');
    expect(changeOf('container', 'rename')).toBe('renamed');
    expect(changeOf('container', 'create')).toBeUndefined();
    expect(changeOf('network', 'disconnect')).toBe('disconnected');
    expect(changeOf('volume', 'destroy')).toBe('removed');
  });
});

describe('engine events to work', () => {
  it('names containers by their labels and ignores actions that change nothing', () => {
    expect(workForEvent(event({ labels }), 'p')).toEqual({ key: 'Container/web' });
    expect(workForEvent(event({ labels, action: 'health_status: unhealthy' }), 'p')).toEqual({
      key: 'Container/web',
    });
    expect(workForEvent(event({ labels, action: 'exec_start: sh' }), 'p')).toBeUndefined();
    expect(workForEvent(event({ labels: {} }), 'p')).toBeUndefined();
  });

  it('names networks and volumes by the project prefix; a disconnect asks for a resync', () => {
    expect(workForEvent(event({ type: 'network', action: 'destroy', name: 'p-net' }), 'p')).toEqual(
      { key: 'Network/net' },
    );
    expect(workForEvent(event({ type: 'volume', action: 'destroy', name: 'p-data' }), 'p')).toEqual(
      { key: 'Volume/data' },
    );
    expect(
      workForEvent(event({ type: 'network', action: 'disconnect', name: 'p-net' }), 'p'),
    ).toEqual({ resync: true });
    expect(
      workForEvent(event({ type: 'network', action: 'destroy', name: 'other-net' }), 'p'),
    ).toBeUndefined();
    expect(
      workForEvent(event({ type: 'network', action: 'create', name: 'p-net' }), 'p'),
    ).toBeUndefined();
  });
});

describe('engine events of networks and volumes named by spec.name (F172)', () => {
  const objects = [
    { kind: 'Network', name: 'public', spec: { name: 'shop_public' } },
    { kind: 'Volume', name: 'media', spec: { name: 'p-photos' } },
    { kind: 'Network', name: 'shared', spec: { external: { name: 'corp' } } },
  ] as unknown as DesiredObject[];
  const resources = () => declaredResourceNames('p', objects);

  it('names them by their declared engine name, before the project prefix', () => {
    const removed = (type: 'network' | 'volume', name: string) =>
      workForEvent(event({ type, action: 'destroy', name }), 'p', resources);
    expect(removed('network', 'shop_public')).toEqual({ key: 'Network/public' });
    // `p-photos` starts with the prefix, but it is Volume/media's engine name.
    expect(removed('volume', 'p-photos')).toEqual({ key: 'Volume/media' });
    expect(removed('volume', 'shop_public')).toBeUndefined();
    // An external network is not the project's: berth never repairs it.
    expect(removed('network', 'corp')).toBeUndefined();
    expect(
      workForEvent(
        event({ type: 'network', action: 'disconnect', name: 'shop_public' }),
        'p',
        resources,
      ),
    ).toEqual({ resync: true });
  });

  it('lets their events through the subscription scope', () => {
    const destroyed = event({ type: 'network', action: 'destroy', name: 'shop_public' });
    expect(eventInProject(destroyed, { project: 'p', resources })).toBe(true);
    expect(eventInProject(destroyed, { project: 'p' })).toBe(false);
  });
});

describe('folder watcher filter', () => {
  const file = { isFile: () => true } as Parameters<typeof ignoredPath>[1];
  it('ignores hidden, editor temp and non-YAML files, never plain folders', () => {
    for (const p of [
      '/m/.app.yaml.swp',
      '/m/app.yaml~',
      '/m/#app.yaml#',
      '/m/.git',
      '/m/4913',
      '/m/notes.txt',
    ])
      expect(ignoredPath(p, file)).toBe(true);
    for (const p of ['/m/app.yaml', '/m/sub/db.yml', '/m/.env'])
      expect(ignoredPath(p, file)).toBe(false);
    expect(ignoredPath('/m/sub')).toBe(false);
  });
});

describe('--listen', () => {
  it('parses host:port, [v6]:port and :port, and knows loopback', () => {
    expect(parseListenAddress('127.0.0.1:7337')).toEqual({ host: '127.0.0.1', port: 7337 });
    expect(parseListenAddress('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseListenAddress(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(() => parseListenAddress('7337')).toThrow(/HOST:PORT/);
    expect([
      isLoopback('127.0.0.1'),
      isLoopback('::1'),
      isLoopback('0.0.0.0'),
      isLoopback('10.1.2.3'),
    ]).toEqual([true, true, false, false]);
  });
});
