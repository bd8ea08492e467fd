/**
 * A Dockerfile's `# syntax=` parser directive (and the `BUILDKIT_SYNTAX` build argument BuildKit
 * reads the same way) makes the engine pull a Dockerfile frontend image from a registry before
 * it builds. berth never lets the engine fetch one (issue 12: "never a `# syntax=` frontend that
 * would be pulled"): it sends the Dockerfile with the directive turned into a plain comment, so
 * the engine's built-in frontend builds it, and says so. Many public Compose apps carry
 * `# syntax=docker/dockerfile:1`, which the built-in frontend of a current engine builds alike.
 */

/** Where a Dockerfile asks for a frontend: 1-based line, and the image it names. */
export interface FrontendDirective {
  line: number;
  image: string;
}

/** The build argument BuildKit takes as a frontend image, like a `# syntax=` line. */
export const FRONTEND_BUILD_ARG = 'BUILDKIT_SYNTAX';

/**
 * BuildKit's rule (moby/buildkit `ParseDirectives`): parser directives are `# key=value` lines
 * at the top; the first other line ends them (blank lines and plain comments are read past
 * here, so this finds at least what any engine acts on). Case-insensitive key; a BOM skipped.
 */
export function frontendDirective(dockerfile: string): FrontendDirective | undefined {
  const lines = dockerfile.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, text] of lines.entries()) {
    if (text.trim() === '') continue;
    if (!/^\s*#/.test(text)) return undefined;
    const directive = /^\s*#\s*syntax\s*=\s*(\S+)/i.exec(text);
    if (directive?.[1]) return { line: index + 1, image: directive[1] };
  }
  return undefined;
}

/**
 * The Dockerfile with its `# syntax=` directive turned into a plain comment (same line count,
 * so the engine's error positions still match the file), or undefined when it has none.
 */
export function withoutFrontend(
  dockerfile: string,
): { text: string; directive: FrontendDirective } | undefined {
  const directive = frontendDirective(dockerfile);
  if (!directive) return undefined;
  const lines = dockerfile.split('\n');
  const at = directive.line - 1;
  lines[at] = lines[at]!.replace(/#\s*syntax\s*=/i, '# berth: not pulled, built-in frontend: ');
  return { text: lines.join('\n'), directive };
}
