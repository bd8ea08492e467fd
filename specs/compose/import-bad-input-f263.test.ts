import { describe, expect, it } from 'vitest';
import { composeRefusals } from '../../test/support/compose-refusals.js';

/** Every problem import reports for a one-service compose.yaml, as `file:line:col: msg [code]`. */
const refusal = (service: string[], folders: string[] = []) =>
  composeRefusals(['services:', '  web:', ...service], folders);

describe('berth import: input docker compose refuses is refused at the Compose position (F263)', () => {
  it('a malformed ${…}: unterminated, or not followed by a variable name', () => {
    expect(
      refusal(['    image: localhost/berth-busybox:1', '    command: [sh, -c, "echo ${UNCLOSED"]']),
    ).toEqual([
      'compose.yaml:4:23: services.web.command[2]: unterminated ${UNCLOSED: no closing } [E_INTERPOLATION]',
    ]);
    expect(
      refusal(['    image: localhost/berth-busybox:1', '    environment:', '      X: "${1BAD}"']),
    ).toEqual([
      'compose.yaml:5:7: services.web.environment.X: "${" must be followed by a variable name ([_a-zA-Z][_a-zA-Z0-9]*); write $$ for a literal $ [E_INTERPOLATION]',
    ]);
  });

  it('valid ${…}, $$ and a bare $ still import', () => {
    expect(
      refusal([
        '    image: localhost/berth-busybox:${TAG:-1}',
        '    command: [sh, -c, "echo $$HOME ${A:-${B:-x}} $ 5"]',
      ]),
    ).toEqual([]);
  });

  it('a local build context that does not exist, at the build key; one that exists imports', () => {
    expect(refusal(['    build: ./nonexistent'])).toEqual([
      'compose.yaml:3:5: services.web.build: ./nonexistent does not exist [E_COMPOSE]',
    ]);
    expect(refusal(['    build: {context: ../elsewhere}'])).toEqual([
      'compose.yaml:3:13: services.web.build: ../elsewhere does not exist [E_COMPOSE]',
    ]);
    expect(refusal(['    build: ./web'], ['web'])).toEqual([]);
    expect(refusal(['    build: ${CTX:-./web}'])).toEqual([]);
  });
});
