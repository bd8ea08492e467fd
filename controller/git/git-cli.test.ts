import { describe, expect, it } from 'vitest';
import { gitErrorLine, redactUrl } from './git-cli.js';

describe('credentials never reach messages', () => {
  it('redacts the password of a URL and keeps the rest', () => {
    expect(redactUrl('https://ada:t0ken@git.example/app.git')).toBe(
      'https://ada:***@git.example/app.git',
    );
    expect(redactUrl('file:///srv/app.git')).toBe('file:///srv/app.git');
  });

  it('redacts URLs inside git error lines', () => {
    const line = gitErrorLine({
      code: 128,
      stdout: '',
      stderr:
        "fatal: unable to access 'https://ada:t0ken@git.example/app.git/': Could not resolve host\n",
    });
    expect(line).not.toContain('t0ken');
    expect(line).toMatch(/^fatal: unable to access/);
  });
});
