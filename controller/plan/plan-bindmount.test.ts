import { describe, expect, it } from 'vitest';
import type { BindMountObject, BindMountType } from '../../specs/model.js';
import type { HostPathKind } from './plan-input.js';
import { planBindMount } from './plan-resources.js';

const PATH = '/var/run/docker.sock';

function bind(type: BindMountType): BindMountObject {
  return {
    kind: 'BindMount',
    name: 'sock',
    labels: {},
    spec: { hostPath: PATH, type },
    source: { file: 'app.yaml', line: 1, column: 1 },
    specHash: 'h',
  };
}

const planned = (type: BindMountType, have: HostPathKind) =>
  planBindMount(bind(type), new Map([[PATH, have]]));

describe('BindMount host path types', () => {
  it('Socket is met by a socket, and by nothing else', () => {
    expect(planned('Socket', 'socket').inSync).toBe(true);
    expect(planned('Socket', 'socket').steps).toEqual([]);
    expect(planned('Socket', 'directory').reason).toBe(`${PATH} is a directory, declared a socket`);
    expect(planned('Socket', 'absent').reason).toBe(
      `${PATH} does not exist (type Socket requires it)`,
    );
    expect(planned('Socket', 'absent').steps).toEqual([]);
  });

  it('a socket is not a directory, and still mounts where it was declared a File', () => {
    expect(planned('Directory', 'socket').reason).toBe(`${PATH} is a socket, declared a directory`);
    expect(planned('File', 'socket').inSync).toBe(true);
  });
});
