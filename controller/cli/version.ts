import { entryFs } from './entry-fs.js';

declare const BERTH_VERSION: string | undefined;

/** The package version: inlined by the bundler, read from package.json when run from source. */
export function berthVersion(): string {
  if (typeof BERTH_VERSION === 'string') return BERTH_VERSION;
  const pkg = JSON.parse(
    entryFs().readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  return String(pkg.version);
}
