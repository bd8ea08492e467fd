import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';

/** A flag with a fixed set of values completes those values, not file names (`get -o <TAB>`). */

const dir = mkdtempSync(join(tmpdir(), 'berth-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('completion of flag values', () => {
  it('bash offers the choices of -o and --policy, and still file names after -f', async () => {
    writeFileSync(join(dir, 'app.yaml'), '');
    const file = join(dir, 'berth.bash');
    writeFileSync(file, (await berth(['completion', 'bash'])).stdout);
    const complete = (words: string) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${file}; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _berth; echo "\${COMPREPLY[@]}"`,
        ],
        { cwd: dir },
      )
        .toString()
        .trim();
    expect(complete("berth get -o ''")).toBe('table wide json yaml');
    expect(complete('berth status --output j')).toBe('json');
    expect(complete("berth apply --policy ''")).toBe('baseline privileged restricted');
    expect(complete('berth apply -f ap')).toBe('app.yaml');
  });

  it('zsh and fish list the choices too', async () => {
    const zsh = (await berth(['completion', 'zsh'])).stdout;
    expect(zsh).toContain(':value:(table wide json yaml)');
    const fish = (await berth(['completion', 'fish'])).stdout;
    expect(fish).toContain("-l output -r -f -a 'table wide json yaml'");
  });
});
