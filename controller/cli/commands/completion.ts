import type { Command, Option } from 'commander';
import { BerthError } from '../../errors.js';
import type { CliContext } from '../context.js';

/** One verb as the completion scripts need it: name, summary, options. */
interface VerbShape {
  name: string;
  summary: string;
  options: {
    short?: string;
    long: string;
    summary: string;
    takesValue: boolean;
    /** The values the option accepts (`-o` of get: table, wide, json, yaml), if it lists them. */
    choices?: readonly string[];
  }[];
}

/**
 * `berth completion bash|zsh|fish`: prints a completion script for the shell, generated
 * from the command tree (`verbs`: the program's commands), so every verb and flag completes
 * (file names after -f/-o). The tree is handed in, so this module never imports the program.
 */
export function completionCommand(verbs: readonly Command[]) {
  return {
    async run(ctx: CliContext, shell: string): Promise<number> {
      const script = SCRIPTS[shell];
      if (!script)
        throw new BerthError('E_USAGE', `no completion for ${shell}: use bash, zsh or fish`);
      ctx.stdout.write(script(verbs.map(shape)));
      return 0;
    },
  };
}

function shape(command: Command): VerbShape {
  return {
    name: command.name(),
    summary: command.description(),
    options: (command.options as Option[]).map((o) => ({
      ...(o.short && { short: o.short }),
      long: o.long ?? '',
      summary: o.description,
      takesValue: o.required || o.optional,
      ...(o.argChoices?.length && { choices: o.argChoices }),
    })),
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(verbs: VerbShape[]): string {
  const cases = verbs
    .map(
      (v) =>
        `    ${v.name}) opts=${quote(
          v.options
            .flatMap((o) => [o.short, o.long])
            .filter(Boolean)
            .join(' '),
        )} ;;`,
    )
    .join('\n');
  const valued = [
    ...new Set(
      verbs.flatMap((v) => v.options.filter((o) => o.takesValue).flatMap((o) => [o.short, o.long])),
    ),
  ]
    .filter(Boolean)
    .join('|');
  const choiceCases = verbs
    .flatMap((v) =>
      v.options
        .filter((o) => o.choices)
        .map(
          (o) =>
            `    ${[o.short, o.long]
              .filter(Boolean)
              .map((flag) => `${v.name}:${flag}`)
              .join(
                '|',
              )}) COMPREPLY=($(compgen -W ${quote(o.choices!.join(' '))} -- "$cur")); return ;;`,
        ),
    )
    .join('\n');
  return `# berth completion for bash: source this file, or put it in /etc/bash_completion.d/berth
_berth() {
  local cur prev verb opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -p|--project|--engine|--context|--log-level) ((i++)) ;;
      -*) ;;
      *) verb="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$verb:$prev" in
${choiceCases}
  esac
  case "$prev" in
    ${valued}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [ -z "$verb" ]; then
    COMPREPLY=($(compgen -W ${quote(verbs.map((v) => v.name).join(' ') + ' -p --project --engine --context --log-level --help --version')} -- "$cur"))
    return
  fi
  case "$verb" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts --help" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _berth berth
`;
}

function zsh(verbs: VerbShape[]): string {
  const describe = verbs.map((v) => `    ${quote(`${v.name}:${v.summary}`)}`).join('\n');
  const cases = verbs
    .map((v) => {
      const specs = v.options.map((o) => {
        const names = o.short ? `{${o.short},${o.long}}` : o.long;
        const summary = o.summary.replace(/[[\]:']/g, ' ');
        const value = o.choices ? `(${o.choices.join(' ')})` : '_files';
        return o.takesValue ? `${names}'[${summary}]:value:${value}'` : `${names}'[${summary}]'`;
      });
      return `    ${v.name}) _arguments ${specs.join(' ')} '*:file:_files' ;;`;
    })
    .join('\n');
  return `#compdef berth
# berth completion for zsh: save as _berth in a folder on $fpath, or source it after compinit
_berth() {
  local -a verbs
  verbs=(
${describe}
  )
  if (( CURRENT == 2 )); then _describe 'berth command' verbs; return; fi
  local verb=$words[2]
  shift words; (( CURRENT-- ))
  case $verb in
${cases}
  esac
}
if [ "$funcstack[1]" = "_berth" ]; then _berth "$@"; else compdef _berth berth; fi
`;
}

function fish(verbs: VerbShape[]): string {
  const lines = [
    '# berth completion for fish: save as ~/.config/fish/completions/berth.fish',
    'complete -c berth -f',
  ];
  for (const v of verbs) {
    lines.push(`complete -c berth -n __fish_use_subcommand -a ${v.name} -d ${quote(v.summary)}`);
    for (const o of v.options) {
      const flags = [
        o.short ? `-s ${o.short.slice(1)}` : '',
        `-l ${o.long.slice(2)}`,
        o.choices ? `-r -f -a ${quote(o.choices.join(' '))}` : o.takesValue ? '-r -F' : '',
      ]
        .filter(Boolean)
        .join(' ');
      lines.push(
        `complete -c berth -n '__fish_seen_subcommand_from ${v.name}' ${flags} -d ${quote(o.summary)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

const SCRIPTS: Record<string, (verbs: VerbShape[]) => string> = { bash, zsh, fish };
