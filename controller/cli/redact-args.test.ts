import { describe, expect, it } from 'vitest';
import { redactArgs } from './redact-args.js';

describe('a command line as others may see it (F114)', () => {
  it('masks the token, the webhook secret and env values, in both flag forms', () => {
    expect(
      redactArgs([
        'watch',
        'app',
        '--listen',
        '0.0.0.0:1',
        '--token',
        's3cretTok',
        '--webhook-secret=whsec123',
        '--token=t2',
      ]),
    ).toEqual([
      'watch',
      'app',
      '--listen',
      '0.0.0.0:1',
      '--token',
      '***',
      '--webhook-secret=***',
      '--token=***',
    ]);
    expect(
      redactArgs(['run', 'web', '-e', 'PASSWORD=hunter2', '--env=MODE=x', '--', 'ls']),
    ).toEqual(['run', 'web', '-e', 'PASSWORD=***', '--env=MODE=***', '--', 'ls']);
  });

  it('keeps everything else as typed', () => {
    const argv = ['apply', '-f', 'app/', '-p', 'shop', '--timeout', '2m'];
    expect(redactArgs(argv)).toEqual(argv);
  });
});
