import jsyaml from 'js-yaml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORE, CORE_TYPES, loadCore } from './core-schema.js';

/** The schema as it was: js-yaml trying each of the four types on every plain scalar. */
const EACH_TYPE = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: CORE_TYPES });
const asBefore = (text: string) =>
  jsyaml.loadAll(text, undefined, { schema: EACH_TYPE, filename: 'f.yaml' });

/** Both read `text` to the same values, or both refuse it with the same message. */
function readsAsBefore(text: string): void {
  let before: unknown;
  try {
    before = asBefore(text);
  } catch (e) {
    expect(() => loadCore(text, 'f.yaml'), text).toThrow((e as Error).message);
    return;
  }
  expect(loadCore(text, 'f.yaml').values, text).toStrictEqual(before);
}

const SCALARS = [
  ...['', '~', 'null', 'Null', 'NULL', 'nULL', 'nul', 'n', 'N', 'no', 'yes', 'off', 'on', 'y'],
  ...['true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'f', 't', 'T', 'F', 'fals'],
  ...['0', '-0', '+0', '007', '0o17', '0o8', '0x1F', '0X1F', '0xg', '+12', '-12', '12_000'],
  ...['.5', '1.', '1.10', '+1.5', '-.5e3', '1e3', '1E-3', '.inf', '-.Inf', '+.INF', '.nan'],
  ...['.NaN', '.NAN', '.', '..', '...x', '-', '--', '+', '+-1', '~x', '2001:db8::1', '127.0.0.1'],
  ...['abc', 'x1', 'Container', 'berth/v1', 'c001', '1000:1000', '10m', '5s', '16Mi', 'SIGINT'],
];

describe('CORE (one implicit type for the four core scalars)', () => {
  it('reads every plain scalar as the four types tried one by one did, as a value and as a key', () => {
    for (const s of SCALARS) {
      for (const text of [`a: ${s}\n`, `${s}: a\n`, `a: [${s}, x]\n`, `- ${s}\n`, `{${s}: ${s}}\n`])
        readsAsBefore(text);
    }
  });

  it('reads any plain scalar of the characters core scalars are made of as before', () => {
    const scalar = fc.stringMatching(/^[-+.~0-9a-fA-FnNoOtTxXlLsSuUrRiI_eE]{1,8}$/);
    fc.assert(
      fc.property(scalar, scalar, (key, value) => {
        readsAsBefore(`${key}: ${value}\nl: [${value}, ${key}]\n`);
      }),
      { numRuns: 2000 },
    );
  });

  it('still resolves an explicit core tag with its own type', () => {
    const text = 'a: !!int "12"\nb: !!bool "True"\nc: !!null ""\nd: !!float "1.5"\n';
    expect(jsyaml.load(text, { schema: CORE })).toStrictEqual(
      jsyaml.load(text, { schema: EACH_TYPE }),
    );
  });
});
