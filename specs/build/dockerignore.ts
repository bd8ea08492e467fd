/**
 * `.dockerignore` matching with Docker's semantics (written here, not borrowed): patterns
 * are relative to the context root, `*` and `?` stay within one path segment, `**` spans
 * any number of segments, `!` re-includes, `#` starts a comment, and a pattern that
 * matches a folder excludes everything beneath it. The last matching pattern wins.
 */

export interface IgnoreRule {
  pattern: string;
  negated: boolean;
  regex: RegExp;
}

/** Parses the text of a .dockerignore file into rules, in order. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    const pattern = cleanPattern(line);
    if (pattern === '') continue;
    rules.push({ pattern, negated, regex: patternToRegex(pattern) });
  }
  return rules;
}

/** Like Go's filepath.Clean for the relative form Docker uses: no leading `/` or `./`, no `..` above root. */
function cleanPattern(pattern: string): string {
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function patternToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches everything.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (char === '\\' && i + 1 < pattern.length) {
      source += escapeRegex(pattern[i + 1] ?? '');
      i += 1;
    } else source += escapeRegex(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether a rule matches the path or one of its parent folders. */
function ruleMatches(rule: IgnoreRule, path: string): boolean {
  if (rule.regex.test(path)) return true;
  let slash = path.lastIndexOf('/');
  while (slash > 0) {
    if (rule.regex.test(path.slice(0, slash))) return true;
    slash = path.lastIndexOf('/', slash - 1);
  }
  return false;
}

/** Whether a context-relative path (with `/` separators) is excluded from the build context. */
export function isExcluded(rules: IgnoreRule[], path: string): boolean {
  let excluded = false;
  for (const rule of rules) {
    if (ruleMatches(rule, path)) excluded = !rule.negated;
  }
  return excluded;
}
