/**
 * Whether local-driver volume options bind a host folder: `o` lists `bind` or `rbind` among
 * its comma-separated mount options (Linux mount(8), as the local driver passes them on).
 * Such a volume only names the folder: removing it leaves the folder and its files.
 */
export function isBindVolume(options: Readonly<Record<string, string>>): boolean {
  return (options.o ?? '').split(',').some((o) => o.trim() === 'bind' || o.trim() === 'rbind');
}
