/**
 * A reader that stops early (`berth exec --help | head -1`, `berth logs -f | grep -m1 x`)
 * closes the pipe, and berth's next write to it fails with EPIPE. Unhandled, that is an
 * 'error' event that crashes node with a stack trace. Like the docker and kubectl CLIs, berth
 * then ends quietly with exit 0: nobody reads what it would still print. Installed once, at
 * the entry, for stdout and stderr, so no command has to think of it. Other write errors
 * stay errors.
 */
export function endQuietlyWhenOutputCloses(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams)
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      exit(0);
    });
}
