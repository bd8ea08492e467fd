import { describe, expect, it } from 'vitest';
import { unreachableError } from './docker-errors.js';

/** F819: the socket failures users meet say what happened and what to do, not `ENOENT connect ENOENT`. */
describe('an engine that cannot be reached', () => {
  const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('no socket at the path: asks whether the engine runs and how to name another', () => {
    const error = unreachableError(
      'unix:///nowhere.sock',
      failure('ENOENT', 'connect ENOENT /nowhere.sock'),
      'ping',
    );
    expect(error.code).toBe('E_ENGINE_UNREACHABLE');
    expect(error.message).toBe(
      'cannot reach the engine at unix:///nowhere.sock: no engine socket there: is the engine running? ' +
        '(start it: systemctl start docker, or dockerd; or name another with --engine, DOCKER_HOST or --context)',
    );
  });

  it('a refused connection and a socket this user may not open are said in words', () => {
    const refused = unreachableError('tcp://127.0.0.1:1', failure('ECONNREFUSED', 'x'), 'ping');
    expect(refused.message).toMatch(/: nothing answers there: is the engine running\?/);
    const denied = unreachableError('unix:///s.sock', failure('EACCES', 'x'), 'ping');
    expect(denied.message).toMatch(/: permission denied on the engine socket: run berth as root/);
  });

  it('other failures keep the system code and message', () => {
    const error = unreachableError(
      'tcp://e:2376',
      failure('ETIMEDOUT', 'connect ETIMEDOUT'),
      'ping',
    );
    expect(error.message).toBe(
      'cannot reach the engine at tcp://e:2376: ETIMEDOUT connect ETIMEDOUT',
    );
  });
});
