import { describe, expect, it } from 'vitest';
import { containerObject } from '../status/testing/fixtures.js';
import { sampleStatus } from '../status/testing/sample-status.js';
import { EventBus } from '../watch/event-bus.js';
import { LiveView } from './live-view.js';
import type { StreamMessage } from './view-types.js';

/** A controller's side of the view that counts the fresh statuses it was asked for. */
function source() {
  const bus = new EventBus();
  let statuses = 0;
  const view = new LiveView({
    bus,
    status: async () => (statuses++, sampleStatus()),
    desired: () => [],
    applied: async () => undefined,
    history: async () => [],
    engineReachable: () => true,
    actions: () => [],
  });
  const settle = () => new Promise((r) => setTimeout(r, 80));
  const engineEvent = () =>
    bus.publish({ type: 'engine', action: 'die', kind: 'container', name: 'p-web', time: 1 });
  return { view, statuses: () => statuses, settle, engineEvent };
}

describe('LiveView', () => {
  it('observes nothing for events while no page is subscribed, and catches up on the next', async () => {
    const s = source();
    await s.view.start();
    expect(s.statuses()).toBe(1);
    for (let i = 0; i < 20; i++) {
      s.engineEvent();
      await s.settle();
    }
    expect(s.statuses()).toBe(1);
    const seen: string[] = [];
    const unsubscribe = s.view.hub.subscribe((m) => seen.push(m.message.type));
    await s.settle();
    expect(s.statuses()).toBe(2);
    expect(seen[0]).toBe('snapshot');
    unsubscribe();
    s.view.stop();
  });

  it("a page that subscribes after unwatched changes gets a snapshot of now, not the hub's last view (F161)", async () => {
    const bus = new EventBus();
    let observed = 'absent';
    const status = async () => {
      const s = sampleStatus();
      s.objects = s.objects.map((o) => (o.key === 'Container/web' ? { ...o, observed } : o));
      return s;
    };
    const view = new LiveView({
      bus,
      status,
      desired: () => [],
      applied: async () => undefined,
      history: async () => [],
      engineReachable: () => true,
      actions: () => [],
    });
    await view.start();
    observed = 'running';
    bus.publish({ type: 'engine', action: 'start', kind: 'container', name: 'p-web', time: 1 });
    const first = await new Promise<StreamMessage>((resolve) => {
      const unsubscribe = view.hub.subscribe((m) => (unsubscribe?.(), resolve(m.message)));
    });
    expect(first.type).toBe('snapshot');
    const rows = first.type === 'snapshot' ? first.snapshot.rows : [];
    expect(rows.find((r) => r.key === 'Container/web')?.actual).toBe('running');
    view.stop();
  });

  it('refreshes on events while a page is subscribed, a burst folded into one observation', async () => {
    const s = source();
    await s.view.start();
    const unsubscribe = s.view.hub.subscribe(() => undefined);
    await s.settle();
    const before = s.statuses();
    for (let i = 0; i < 5; i++) s.engineEvent();
    await s.settle();
    expect(s.statuses()).toBe(before + 1);
    s.engineEvent();
    await s.settle();
    expect(s.statuses()).toBe(before + 2);
    unsubscribe();
    s.view.stop();
  });
});

describe('LiveView of a set spanning contexts (issue 17)', () => {
  it("shows each object's context, finds the declaration of an object on another engine, and names the watch's engine", async () => {
    const status = sampleStatus();
    const web = status.objects.find((o) => o.key === 'Container/web')!;
    status.objects = [
      ...status.objects.filter((o) => o !== web),
      { ...web, key: 'Container/web@dc1', context: 'dc1', inSync: false, observed: 'exited' },
    ];
    const declared = containerObject('web');
    const view = new LiveView({
      bus: new EventBus(),
      status: async () => status,
      desired: () => [declared],
      applied: async () => undefined,
      history: async () => [],
      engineReachable: () => true,
      engine: 'home (unix:///var/run/docker.sock)',
      actions: () => [],
    });
    await view.start();
    const page = view.hub.current().snapshot;
    const row = page.rows.find((r) => r.key === 'Container/web@dc1');
    expect(row).toMatchObject({ context: 'dc1', name: 'web', spec: declared.spec });
    expect(page.rows.find((r) => r.key === 'Container/api')).toMatchObject({ context: null });
    expect(page.project.engine).toBe('home (unix:///var/run/docker.sock)');
    view.stop();
  });
});
