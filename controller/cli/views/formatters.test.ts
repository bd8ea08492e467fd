import { describe, expect, it } from 'vitest';
import { tableWidth } from '../context.js';
import { describeOutput } from '../../status/describe-model.js';
import { formatDescribe } from './format-describe.js';
import { formatGetTable } from './format-get.js';
import { formatHistoryTable } from './format-history.js';
import { formatStatus } from './format-status.js';
import { toStableJson } from './stable-output.js';
import { formatAge } from './table.js';
import { NOW, containerObject } from '../../status/testing/fixtures.js';
import { LAST_APPLY, sampleStatus } from '../../status/testing/sample-status.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('get table', () => {
  it('lists objects kubectl-style within 80 columns', () => {
    const text = formatGetTable(sampleStatus().objects, { wide: false, color: false });
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toMatchInlineSnapshot(`
      "NAME      KIND        DESIRED   ACTUAL       READY   RESTARTS   AGE
      backend   Network     present   present      yes     -          2h
      api       Container   running   paused       no      0          90s
      db        Container   running   absent       no      0          -
      old       Container   absent    exited       -       0          40d
      web       Container   running   running      yes     0          60m
      worker    Container   running   restarting   no      5          3d
      "
    `);
  });

  it('wide adds id, image, ports and networks', () => {
    const text = formatGetTable(sampleStatus().objects, { wide: true, color: false });
    expect(text.split('\n')[0]).toMatch(/ID\s+IMAGE\s+PORTS\s+NETWORKS$/);
    expect(text).toMatchInlineSnapshot(`
      "NAME      KIND        DESIRED   ACTUAL       READY   RESTARTS   AGE   ID             IMAGE                       PORTS                    NETWORKS
      backend   Network     present   present      yes     -          2h    aaaaaaaaaaaa   -                           -                        -
      api       Container   running   paused       no      0          90s   14c2529eb449   localhost/berth-busybox:1   -                        -
      db        Container   running   absent       no      0          -     -              -                           -                        -
      old       Container   absent    exited       -       0          40d   cba06b5736fa   localhost/berth-busybox:1   -                        -
      web       Container   running   running      yes     0          60m   4b5e57f6eb2f   localhost/berth-busybox:1   127.0.0.1:8080->80/tcp   shop-backend
      worker    Container   running   restarting   no      5          3d    87eba76e7f31   localhost/berth-busybox:1   -                        -
      "
    `);
  });

  it('cuts long names to fit 80 columns', () => {
    const objects = sampleStatus().objects.map((o) => ({
      ...o,
      name: `${o.name}-${'x'.repeat(70)}`,
    }));
    const text = formatGetTable(objects, { wide: false, color: false });
    expect(widest(text)).toBe(80);
    expect(text).toContain('…');
  });

  it('colours only when asked, without breaking alignment', () => {
    const plain = formatGetTable(sampleStatus().objects, { wide: false, color: false });
    const coloured = formatGetTable(sampleStatus().objects, { wide: false, color: true });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[31mpaused');
    expect(coloured.replace(new RegExp(String.fromCharCode(27) + '\\[\\d+m', 'g'), '')).toBe(plain);
  });
});

describe('status text', () => {
  it('cuts a long REASON only to fit a terminal: a pipe (no width limit) shows it in full (F93)', () => {
    const status = sampleStatus();
    const long = 'crash loop: 22 restarts, last exit code 1: sh: cannot open /etc/app.conf';
    status.objects[0] = { ...status.objects[0]!, reason: long };
    expect(formatStatus(status, { wide: false, color: false })).not.toContain(long);
    const piped = formatStatus(status, {
      wide: false,
      color: false,
      width: tableWidth({ isTTY: false, columns: 80 }),
    });
    expect(piped).toContain(long);
    expect(tableWidth({ isTTY: true, columns: 100 })).toBe(100);
    expect(tableWidth({ isTTY: true })).toBe(80);
  });

  it('says whether the project is in sync, and why not', () => {
    const text = formatStatus(sampleStatus(), { wide: false, color: false });
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toMatchInlineSnapshot(`
      "Project:      shop
      In sync:      no (3 of 5 declared objects out of sync)
      Compared to:  the last applied set
      Last apply:   2024-05-01T10:00:00Z converged in 2.3s from /srv/shop (commit
                    0123456)
      Conflict:     Container/db: the engine name shop-db is taken by a container
                    berth does not own
      Missing:      Container/db
      Not declared: Container/old

      OBJECT             DESIRED   ACTUAL       SYNC   REASON
      Network/backend    present   present      yes
      Container/api      running   paused       no     paused outside berth
      Container/db       running   absent       no     name conflict
      Container/old      absent    exited       -      not declared any more
      Container/web      running   running      yes
      Container/worker   running   restarting   no     crash loop: 5 restarts, last e…
      "
    `);
  });
});

describe('status text from a running controller', () => {
  const fromFiles = { ...sampleStatus(), desiredSource: 'files' as const };
  const compared = (text: string) => text.split('\n').find((l) => l.startsWith('Compared to:'));

  it('names the controller as what the engine is compared to, not -f', () => {
    const text = formatStatus(fromFiles, { wide: false, color: false, fromController: true });
    expect(compared(text)).toBe('Compared to:  the folder of the running berth watch');
  });

  it('says -f when the files were given on the command line', () => {
    const text = formatStatus(fromFiles, { wide: false, color: false });
    expect(compared(text)).toBe('Compared to:  the files given with -f');
  });
});

describe('describe text', () => {
  it('shows spec, status, conditions and merged events', () => {
    const status = sampleStatus().objects.find((o) => o.name === 'api')!;
    const history = [
      {
        ...LAST_APPLY,
        steps: [
          {
            key: 'Container/api' as const,
            action: 'create',
            cause: 'not on the engine',
            time: LAST_APPLY.time + 500,
          },
        ],
      },
    ];
    const events = [
      {
        type: 'container' as const,
        action: 'pause',
        id: status.id!,
        name: 'shop-api',
        labels: {},
        time: NOW - 60_000,
      },
      {
        type: 'container' as const,
        action: 'pause',
        id: 'someone-else',
        name: 'shop-web',
        labels: {},
        time: NOW - 50_000,
      },
    ];
    const out = describeOutput(status, containerObject('api'), history, events);
    expect(out.events.map((e) => `${e.source}:${e.action}`)).toEqual([
      'berth:create',
      'engine:pause',
    ]);
    expect(formatDescribe(out)).toMatchInlineSnapshot(`
      "Name:        api
      Kind:        Container
      Project:     shop
      Engine name: shop-api
      Id:          14c2529eb4498c5d1ffd6915d05bf58a91bdda796af59f41d480d11c099d0479
      Spec:
        Source:    /srv/app/app.yaml:1:1
        Spec hash: hash-api
        labels: {}
        spec:
          dependsOn: []
          env: {}
          image:
            ref: localhost/berth-busybox:1
          init: false
          mounts: []
          networks: []
          ports: []
          privileged: false
          resources: {}
          restartPolicy: Always
          state: running
          stopGracePeriodMs: 10000
      Status:
        Desired:        running
        Observed:       paused
        In sync:        no (paused outside berth)
        Next step:      unpause (paused outside berth)
        Health:         none
        Restarts:       0
        Last exit code: -
        Ready:          no
        Ports:          -
        Networks:       -
        Image:          localhost/berth-busybox:1
        Image id:       sha256:1111111111111111111111111111111111111111111111111111111111111111
        Image digest:   localhost/berth-busybox@sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
        Created:        2024-05-01T11:58:30Z (90s ago)
      Conditions:
        TYPE          STATUS   REASON         LAST TRANSITION        MESSAGE
        Ready         False    Paused         2024-05-01T11:58:30Z   paused outside berth
        Progressing   True     PendingSteps   2024-05-01T11:58:30Z   unpause (paused outside berth)
        Degraded      False    AsExpected     2024-05-01T11:58:30Z
      Events:
        TIME                   FROM     ACTION   MESSAGE
        2024-05-01T10:00:00Z   berth    create   not on the engine
        2024-05-01T11:59:00Z   engine   pause    container shop-api
      "
    `);
  });
});

describe('engine text on a terminal (F277)', () => {
  const probe = 'healthcheck reports unhealthy: exit code 1: ok\x1b]0;pwned\x07\x1b[2J';
  const shown = 'ok\\x1b]0;pwned\\x07\\x1b[2J';
  const hostile = () => {
    const status = sampleStatus();
    const api = status.objects.find((o) => o.name === 'api')!;
    api.reason = probe;
    api.conditions = api.conditions.map((c) => ({ ...c, message: probe }));
    status.notice = probe;
    return { status, api };
  };
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  it("status shows a health probe's escape sequences instead of sending them", () => {
    for (const wide of [false, true]) {
      const text = formatStatus(hostile().status, { wide, color: false, width: 1000 });
      expect(text).not.toMatch(control);
      expect(text).toContain(shown);
    }
  });

  it('describe shows them too, in its fields and its conditions table', () => {
    const { api } = hostile();
    const text = formatDescribe(describeOutput(api, containerObject('api'), [], []));
    expect(text).not.toMatch(control);
    expect(text.split(shown).length - 1).toBe(1 + api.conditions.length);
  });
});

describe('describe spec', () => {
  it('shows a file mount mode in octal as declared, not decimal (F465)', () => {
    const api = sampleStatus().objects.find((o) => o.name === 'api')!;
    const mounts = [
      { type: 'secret' as const, name: 'pw', target: '/run/secrets/pw', mode: 0o444 },
      { type: 'tmpfs' as const, target: '/tmp', mode: 0o1777 },
    ];
    const out = describeOutput(api, containerObject('api', { mounts }), [], []);
    const text = formatDescribe(out);
    expect(text).toContain('mode: "0444"');
    expect(text).toContain('mode: "1777"');
    expect(text).not.toContain('292');
    // The machine-readable form keeps the model's number.
    expect(JSON.parse(toStableJson(out)).spec.spec.mounts[0].mode).toBe(0o444);
  });
});

describe('history table', () => {
  it('lists applies newest first', () => {
    const older = {
      ...LAST_APPLY,
      time: LAST_APPLY.time - 86_400_000,
      outcome: 'failed' as const,
      commit: undefined,
    };
    const text = formatHistoryTable([older, LAST_APPLY], { color: false });
    expect(text).toMatchInlineSnapshot(`
      "ID   TIME                   OUTCOME     CHANGES    DURATION   COMMIT    SOURCE
      -    2024-05-01T10:00:00Z   converged   +4 ~0 -0   2.3s       0123456   /srv/shop
      -    2024-04-30T10:00:00Z   failed      +4 ~0 -0   2.3s       -         /srv/shop
      "
    `);
  });

  it('shows the message of an entry that says what it did (a restart), F93', () => {
    const restart = { ...LAST_APPLY, message: 'restart api' };
    const text = formatHistoryTable([restart], { color: false });
    expect(text.split('\n')[0]).toMatch(/COMMIT +MESSAGE +SOURCE$/);
    expect(text).toContain('restart api');
  });

  it('shows the commit author (name) and subject of git applies, and fits a terminal by cutting them and SOURCE', () => {
    const fromGit = {
      ...LAST_APPLY,
      id: 'mx2jxdxx',
      subject: 'Revert "bump V to g2"',
      author: 'Ada Tester <ada@example.test>',
      sources: ['file:///srv/repo//deploy'],
    };
    const full = formatHistoryTable([fromGit, LAST_APPLY], { color: false });
    expect(full.split('\n')[0]).toMatch(/COMMIT +AUTHOR +SUBJECT +SOURCE$/);
    expect(full).toContain('Ada Tester   Revert "bump V to g2"   file:///srv/repo//deploy');
    expect(full).not.toContain('ada@example.test');
    const fitted = formatHistoryTable([fromGit], { color: false, width: 110 });
    expect(widest(fitted)).toBeLessThanOrEqual(110);
    expect(fitted).toContain('…');
  });
});

describe('stable output', () => {
  it('sorts keys at every level', () => {
    expect(toStableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('formats ages like kubectl', () => {
    expect([null, 5, 119, 120, 7199, 7200, 172_799, 172_800, 730 * 86_400].map(formatAge)).toEqual([
      '-',
      '5s',
      '119s',
      '2m',
      '119m',
      '2h',
      '47h',
      '2d',
      '2y',
    ]);
  });
});
