/** Flags whose value is a secret: the status API's token and the git webhook's secret. */
const SECRET_FLAGS = new Set(['--token', '--webhook-secret']);
/** Flags whose value is `KEY=VALUE`: the key may be shown, the value may be a secret. */
const ENV_FLAGS = new Set(['-e', '--env']);

const MASK = '***';

/**
 * A command line as berth may show it to others (the writer lock names its holder's command
 * to every other writer: F114): the values of `--token` and `--webhook-secret` (`--flag V` and
 * `--flag=V`) replaced by `***`, and the values of `-e/--env K=V` by `K=***`. Everything else
 * is kept as typed. DESIGN.md: a secret never appears in any output.
 */
export function redactArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = flag !== arg ? arg.slice(eq + 1) : undefined;
    if (SECRET_FLAGS.has(flag)) {
      if (inline !== undefined) out.push(`${flag}=${MASK}`);
      else {
        out.push(flag);
        if (i + 1 < argv.length) {
          out.push(MASK);
          i++;
        }
      }
    } else if (ENV_FLAGS.has(flag)) {
      if (inline !== undefined) out.push(`${flag}=${maskValue(inline)}`);
      else {
        out.push(flag);
        if (i + 1 < argv.length) out.push(maskValue(argv[++i] ?? ''));
      }
    } else out.push(arg);
  }
  return out;
}

function maskValue(pair: string): string {
  const at = pair.indexOf('=');
  return at < 0 ? pair : `${pair.slice(0, at)}=${MASK}`;
}
