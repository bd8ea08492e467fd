import { spawn } from 'node:child_process';

/**
 * Records a project's container events live, from now on (`docker events` without
 * `--since`). A replay with `--since` comes from the daemon's buffer of the last 256 events
 * of the whole engine: under a loaded test run (healthcheck execs of every suite) an update's
 * first events were already gone (ENGINE-NOTES). `format`: docker's `--format` template;
 * `onLine` sees each event line as it arrives.
 */
export function recordEvents(
  project: string,
  format: string,
  onLine?: (line: string) => void,
): { ready: Promise<void>; stop: () => Promise<string[]> } {
  const child = spawn('docker', [
    'events',
    '--filter',
    `label=berth.project=${project}`,
    '--filter',
    'type=container',
    '--format',
    format,
  ]);
  const lines: string[] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts.filter(Boolean)) {
      lines.push(line);
      onLine?.(line);
    }
  });
  // The subscription is in place once the CLI has connected; give it a moment.
  const ready = new Promise<void>((resolve) => setTimeout(resolve, 500));
  const stop = async (): Promise<string[]> => {
    // Events of the last steps are delivered within milliseconds; wait a little for them.
    await new Promise((r) => setTimeout(r, 1_000));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    return lines;
  };
  return { ready, stop };
}
