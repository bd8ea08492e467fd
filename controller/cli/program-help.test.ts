import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './program.js';

/** The text of `berth ARGS` on stdout (help goes there), whitespace folded as a reader sees it. */
async function helpOf(args: string[]): Promise<string> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await runCli(args, { stdout, stderr: new PassThrough(), env: {} });
  expect(code).toBe(0);
  return text.replace(/\s+/g, ' ');
}

describe('help text', () => {
  it('watch has no -f: its --env-file default names the watched folder', async () => {
    const help = await helpOf(['watch', '--help']);
    expect(help).toContain('default: .env in the watched folder');
    expect(help).not.toContain('beside -f');
  });

  it('the verbs that take -f keep "beside -f"', async () => {
    expect(await helpOf(['apply', '--help'])).toContain('default: .env beside -f');
  });
});
