import { describe, expect, it } from 'vitest';
import { gitErrorLine, redactUrl } from './git-cli.js';

describe('credentials never reach messages', () => {
  it('redacts the password of a URL and keeps the rest', () => {
    expect(redactUrl('https://ada:t0ken@git.example/app.git')).toBe(
      'https://ada:***@git.example/app.git',
    );
    expect(redactUrl('file:///srv/app.git')).toBe('file:///srv/app.git');
  });

  it("keeps git's reason when its fatal line ends in a colon (F32)", () => {
    const line = gitErrorLine({
      code: 128,
      stdout: '',
      stderr:
        'fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused\n\n',
    });
    expect(line).toBe(
      'fatal: unable to connect to 127.0.0.1: 127.0.0.1[0: 127.0.0.1]: errno=Connection refused',
    );
  });

  it('redacts a token given as the user of an http(s) URL, keeps an ssh user (F31)', () => {
    expect(redactUrl('https://ghp_T0KEN@git.example/app.git')).toBe(
      'https://***@git.example/app.git',
    );
    expect(redactUrl('http://T0KEN@127.0.0.1:8080/app.git')).toBe(
      'http://***@127.0.0.1:8080/app.git',
    );
    expect(redactUrl('ssh://git@git.example/app.git')).toBe('ssh://git@git.example/app.git');
    const line = gitErrorLine({
      code: 128,
      stdout: '',
      stderr: "fatal: repository 'https://ghp_T0KEN@git.example/app.git/' not found\n",
    });
    expect(line).not.toContain('T0KEN');
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
