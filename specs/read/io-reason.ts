/**
 * Why a file could not be read, in words (F819: messages showed the raw `ENOENT`): "does not
 * exist", "may not be read by this user", "is a folder, not a file", else the system's code.
 * Written to follow the path: `${path} ${ioReason(error)}`.
 */
export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM')
    return 'may not be read by this user (permission denied)';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return `cannot be read (${code ?? String(error)})`;
}
