import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { groupByEngine, keyOn, spansEngines } from './placement.js';

const net = (name: string, placement = '') =>
  `apiVersion: berth/v1\nkind: Network\nmetadata: {name: ${name}}\nspec: {${placement}}\n---\n`;
const box = (name: string, extra: string) =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: localhost/x:1\n${extra}---\n`;

const keys = (groups: ReturnType<typeof groupByEngine>) =>
  Object.fromEntries(
    groups.map((g) => [g.context ?? '(home)', g.objects.map((o) => `${o.kind}/${o.name}`)]),
  );

describe('groupByEngine', () => {
  it('one group, berth own engine, without placements', async () => {
    const groups = groupByEngine(await desiredFrom(net('a') + box('web', '  networks: [a]\n')));
    expect(spansEngines(groups)).toBe(false);
    expect(keys(groups)).toEqual({ '(home)': ['Network/a', 'Container/web'] });
  });

  it('a network without placement (the implicit default too) follows its containers, to every engine that uses it', async () => {
    const yaml =
      net('shared') +
      net('unused') +
      box('home', '  networks: [shared]\n') +
      box('edge', '  networks: [shared]\n  placement: {context: dc1}\n') +
      box('far', '  placement: {context: dc2}\n');
    const groups = groupByEngine(await desiredFrom(yaml));
    expect(spansEngines(groups)).toBe(true);
    expect(keys(groups)).toEqual({
      '(home)': ['Network/shared', 'Network/unused', 'Container/home'],
      dc1: ['Network/shared', 'Container/edge'],
      dc2: ['Network/default', 'Container/far'],
    });
  });

  it('a network used only elsewhere is not made on berth own engine; the home context is home', async () => {
    const yaml =
      net('n') +
      box('edge', '  networks: [n]\n  placement: {context: dc1}\n') +
      box('h', '  placement: {context: here}\n');
    expect(keys(groupByEngine(await desiredFrom(yaml), 'here'))).toEqual({
      '(home)': ['Network/default', 'Container/h'],
      dc1: ['Network/n', 'Container/edge'],
    });
  });

  it('refuses a container using a network placed on another engine, at the container', async () => {
    const yaml =
      net('n', 'placement: {context: dc2}') +
      box('edge', '  networks: [n]\n  placement: {context: dc1}\n');
    const objects = await desiredFrom(yaml);
    expect(() => groupByEngine(objects)).toThrow(
      /Container\/edge is placed on context dc1 but uses Network\/n, placed on context dc2/,
    );
  });

  it('refuses dependsOn across engines', async () => {
    const yaml =
      box('db', '') + box('app', '  dependsOn: [{container: db}]\n  placement: {context: dc1}\n');
    const objects = await desiredFrom(yaml);
    expect(() => groupByEngine(objects)).toThrow(
      /uses Container\/db, placed on berth's own engine/,
    );
  });

  it('keys objects on other engines as Kind/name@context', () => {
    expect(keyOn('Container/web', undefined)).toBe('Container/web');
    expect(keyOn('Container/web', 'dc1')).toBe('Container/web@dc1');
  });
});
