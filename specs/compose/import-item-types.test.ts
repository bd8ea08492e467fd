import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComposeInputError, importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/** The first problem import reports for a one-service compose.yaml, as `file:line:col: msg`. */
function refusal(service: string[]): string {
  const dir = tempDir('berth-import-types-');
  writeFileSync(
    join(dir, 'compose.yaml'),
    ['services:', '  a:', '    image: localhost/berth-busybox:1', ...service, ''].join('\n'),
  );
  try {
    importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
  } catch (e) {
    if (e instanceof ComposeInputError)
      return `${e.where.file}:${e.where.line}:${e.where.column}: ${e.message}`;
    throw e;
  }
  return 'imported';
}

describe('berth import: list items and mapping values of the wrong type are refused (F274)', () => {
  it('a mapping or list where Compose wants a string, at the item', () => {
    expect(refusal(['    environment: [A=1, [nested], {k: v}]'])).toBe(
      'compose.yaml:4:24: services.a.environment[1]: must be a string',
    );
    expect(refusal(['    command: [sh, {a: b}]'])).toBe(
      'compose.yaml:4:19: services.a.command[1]: must be a string',
    );
    expect(refusal(['    labels: [[x]]'])).toBe(
      'compose.yaml:4:14: services.a.labels[0]: must be a string',
    );
    expect(refusal(['    ports: [[8080]]'])).toBe(
      'compose.yaml:4:13: services.a.ports[0]: must be a string or a mapping',
    );
    for (const field of ['dns', 'cap_add', 'expose', 'extra_hosts', 'entrypoint', 'tmpfs'])
      expect(refusal([`    ${field}: [ok, {x: 1}]`])).toMatch(
        new RegExp(`^compose.yaml:4:\\d+: services.a.${field}\\[1\\]: must be a string$`),
      );
    expect(refusal(['    healthcheck: {test: [CMD, [x]]}'])).toMatch(
      /^compose.yaml:4:\d+: services.a.healthcheck.test\[1\]: must be a string$/,
    );
  });

  it('a mapping value that is a list or a mapping, at the value', () => {
    expect(refusal(['    environment: {A: [1], B: {c: d}}'])).toBe(
      'compose.yaml:4:22: services.a.environment.A: must be a string, a number, true or false or null',
    );
    expect(refusal(['    labels: {L: [x]}'])).toMatch(
      /^compose.yaml:4:\d+: services.a.labels.L: must be/,
    );
    expect(refusal(['    sysctls: {a.b: [1]}'])).toMatch(/services.a.sysctls.a.b: must be/);
    expect(refusal(['    build: {context: ., args: {X: [1]}}'])).toMatch(
      /services.a.build.args.X: must be/,
    );
  });

  it('scalars, long-syntax ports and volumes still import', () => {
    expect(
      refusal([
        '    environment: {A: 1, B: true, C: null}',
        '    command: [sleep, 60]',
        '    ports: [{target: 80, published: "18080", host_ip: 127.0.0.1}]',
        '    volumes: [{type: tmpfs, target: /t}]',
      ]),
    ).toBe('imported');
  });
});
