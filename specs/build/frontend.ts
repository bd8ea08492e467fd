/**
 * A build that would make the engine fetch a Dockerfile frontend image: a `# syntax=` parser
 * directive at the top of the Dockerfile, or the `BUILDKIT_SYNTAX` build argument that
 * BuildKit reads the same way. The frontend is pulled from a registry (Docker Hub for
 * `docker/dockerfile:1`), which berth never lets the engine do (ENGINE-NOTES "Builds"):
 * refused at validate time, before any build.
 */

/** Where a Dockerfile asks for a frontend: 1-based line and column, and the image it names. */
export interface FrontendDirective {
  line: number;
  column: number;
  image: string;
}

/**
 * BuildKit's rule (moby/buildkit `dockerfile2llb.ParseDirectives`): parser directives are
 * `# key=value` lines at the very top; the first line that is not one ends them. This reads
 * past blank lines and plain comments too (a later BuildKit may), so it refuses at least
 * what any engine would act on. The key is case-insensitive; a UTF-8 BOM is skipped.
 */
export function frontendDirective(dockerfile: string): FrontendDirective | undefined {
  const lines = dockerfile.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, text] of lines.entries()) {
    if (text.trim() === '') continue;
    const comment = /^(\s*)#/.exec(text);
    if (!comment) return undefined;
    const directive = /^\s*#\s*syntax\s*=\s*(.*?)\s*$/i.exec(text);
    if (directive?.[1]) {
      const image = directive[1].split(' ')[0] ?? directive[1];
      return { line: index + 1, column: (comment[1]?.length ?? 0) + 1, image };
    }
  }
  return undefined;
}

/** The build argument BuildKit takes as a frontend image, like a `# syntax=` line. */
export const FRONTEND_BUILD_ARG = 'BUILDKIT_SYNTAX';

/** Why such a build is refused, for messages. */
export const FRONTEND_REASON =
  'would make the engine pull a Dockerfile frontend image from a registry, which berth never ' +
  "lets it do: remove it (the engine's built-in frontend builds RUN --mount without it)";
