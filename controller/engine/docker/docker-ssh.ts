import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Agent, type AgentOptions } from 'node:http';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** An `ssh://` engine address: where `ssh` logs in. */
export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
}

/**
 * The command Docker runs for an `ssh://` host (cli/connhelper): `ssh -o ConnectTimeout=30
 * -T [-l user] [-p port] -- host docker system dial-stdio`. The remote docker CLI then
 * relays stdin/stdout to its engine's socket. `ssh` comes from PATH and uses the user's own
 * ssh configuration, keys and agent.
 */
export function sshCommand(target: SshTarget): string[] {
  return [
    'ssh',
    '-o',
    'ConnectTimeout=30',
    '-T',
    ...(target.user ? ['-l', target.user] : []),
    ...(target.port ? ['-p', String(target.port)] : []),
    '--',
    target.host,
    'docker',
    'system',
    'dial-stdio',
  ];
}

/**
 * An http.Agent whose every connection is one `ssh … docker system dial-stdio` process
 * (no keep-alive: the process ends with the request). A process that exits non-zero fails
 * the request with its stderr (code E_SSH_DIAL, an unreachable engine), so "Permission
 * denied (publickey)" or "docker: command not found" reach the user as they are.
 */
export function sshAgent(target: SshTarget): Agent {
  const agent = new Agent({ keepAlive: false } satisfies AgentOptions);
  (agent as unknown as { createConnection: () => Socket }).createConnection = () =>
    new SshConnection(target) as unknown as Socket;
  return agent;
}

/** The ssh process's stdout and stdin as one socket-like stream for node:http. */
class SshConnection extends Duplex {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';

  constructor(private readonly target: SshTarget) {
    super();
    const [command = 'ssh', ...args] = sshCommand(target);
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const { child } = this;
    child.stderr.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString('utf8')).slice(-2000);
    });
    child.stdout.on('data', (c: Buffer) => {
      if (!this.push(c)) child.stdout.pause();
    });
    // A write after ssh died fails with EPIPE; the exit below says why it died.
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => this.fail(`ssh: ${e.message}`));
    // 'close' comes after stdout has ended: the end of the stream, or ssh's reason.
    child.on('close', (code) => {
      if (code)
        this.fail(`ssh ${target.host} exited ${code}: ${this.stderr.trim() || 'no output'}`);
      else this.push(null);
    });
  }

  private fail(message: string): void {
    this.destroy(Object.assign(new Error(message), { code: 'E_SSH_DIAL' }));
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.child.stdin.write(chunk, () => done());
  }

  override _final(done: () => void): void {
    this.child.stdin.end();
    done();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    done(error);
  }

  // What node:http asks of a socket, beyond a stream.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}
