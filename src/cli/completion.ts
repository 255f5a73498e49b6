import { COMMANDS, type CommandName, type CommandSpec, type FlagSpec, ROOT_FLAGS } from "./commands.js";
import { UsageError } from "./errors.js";

/**
 * `colleague completion bash|zsh|fish`: a completion script generated from the same command
 * table as the help, so a new flag completes the day it is added.
 */
export function completionCommand(argv: string[]): number {
  const shell = argv[0];
  const scripts: Record<string, () => string> = { bash: bashScript, zsh: zshScript, fish: fishScript };
  const make = shell ? scripts[shell] : undefined;
  if (!make || argv.length > 1) throw new UsageError("completion: give one shell: bash, zsh or fish (see `colleague completion --help`)");
  process.stdout.write(make());
  return 0;
}

const names = Object.keys(COMMANDS) as CommandName[];
const specOf = (name: CommandName): CommandSpec => COMMANDS[name];
/** Flags whose value is a folder or a file complete paths; the others complete nothing or their choices. */
const DIR_FLAGS = new Set(["cwd", "out"]);
const FILE_FLAGS = new Set(["file", "set"]);

function optionWords(flags: Record<string, FlagSpec>): string {
  return [...Object.entries(flags).flatMap(([long, f]) => [`--${long}`, ...(f.short ? [`-${f.short}`] : [])]), "--help"].join(" ");
}

function bashScript(): string {
  const cases = names.map((n) => `    ${n}) opts="${optionWords(specOf(n).flags)}"; words="${(specOf(n).words ?? []).join(" ")}" ;;`).join("\n");
  const all: [string, FlagSpec][] = [...Object.entries(ROOT_FLAGS), ...names.flatMap((n) => Object.entries(specOf(n).flags))];
  const valueCases = new Map<string, string>();
  for (const [long, f] of all) {
    const pattern = [`--${long}`, ...(f.short && f.choices ? [`-${f.short}`] : [])].join("|");
    if (f.choices) valueCases.set(pattern, `COMPREPLY=($(compgen -W "${f.choices.join(" ")}" -- "$cur")); return ;;`);
    else if (DIR_FLAGS.has(long)) valueCases.set(pattern, `COMPREPLY=($(compgen -d -- "$cur")); return ;;`);
    else if (FILE_FLAGS.has(long)) valueCases.set(pattern, `COMPREPLY=($(compgen -f -- "$cur")); return ;;`);
    else if (f.type === "string") valueCases.set(pattern, "return ;;");
  }
  const values = [...valueCases].map(([pattern, action]) => `    ${pattern}) ${action}`).join("\n");
  return `# colleague completion for bash: colleague completion bash > ~/.local/share/bash-completion/completions/colleague
_colleague() {
  local cur prev opts words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
${values}
  esac
  case "\${COMP_WORDS[1]}" in
${cases}
    *) opts="${optionWords(ROOT_FLAGS)} --version"; words="${names.join(" ")}" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 || ( -n "$words" && $COMP_CWORD -eq 2 ) ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
}
complete -o default -F _colleague colleague
`;
}

const zshText = (s: string) => s.replace(/\\/g, "\\\\").replace(/'/g, "'\\''").replace(/\[/g, "\\[").replace(/\]/g, "\\]").replace(/:/g, "\\:");

function zshSpecs(flags: Record<string, FlagSpec>): string[] {
  return Object.entries(flags).flatMap(([long, f]) => {
    const action = f.choices ? `(${f.choices.join(" ")})` : DIR_FLAGS.has(long) ? "_files -/" : FILE_FLAGS.has(long) ? "_files" : " ";
    const value = f.type === "string" ? `:${zshText(f.value ?? "value")}:${action}` : "";
    const star = f.multiple ? "*" : "";
    return [`--${long}`, ...(f.short ? [`-${f.short}`] : [])].map((flag) => `'${star}${flag}[${zshText(f.help)}]${value}'`);
  });
}

function zshScript(): string {
  const describe = names.map((n) => `    '${n}:${zshText(specOf(n).summary)}'`).join("\n");
  const cases = names
    .map((n) => {
      const spec = specOf(n);
      const words = spec.words ? ` '1:${n}:(${spec.words.join(" ")})'` : "";
      return `      ${n}) _arguments ${[...zshSpecs(spec.flags), "'--help[show the help]'"].join(" ")}${words} '*:argument:_files' ;;`;
    })
    .join("\n");
  return `#compdef colleague
# colleague completion for zsh: colleague completion zsh > ~/.zfunc/_colleague (fpath+=(~/.zfunc) before compinit)
_colleague() {
  local curcontext="$curcontext" state line
  typeset -A opt_args
  local -a commands
  commands=(
${describe}
  )
  _arguments -C ${zshSpecs(ROOT_FLAGS).join(" ")} '--help[show the help]' '--version[print the version]' '1: :->command' '*:: :->args'
  case $state in
    command) _describe -t commands 'colleague command' commands ;;
    args)
      case $line[1] in
${cases}
      esac ;;
  esac
}
if [ "$funcstack[1]" = "_colleague" ]; then _colleague "$@"; else compdef _colleague colleague; fi
`;
}

const fishText = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function fishFlags(condition: string, flags: Record<string, FlagSpec>): string[] {
  return Object.entries(flags).map(([long, f]) => {
    const short = f.short ? ` -s ${f.short}` : "";
    let value = "";
    if (f.choices) value = ` -x -a ${fishText(f.choices.join(" "))}`;
    else if (DIR_FLAGS.has(long)) value = " -x -a '(__fish_complete_directories)'";
    else if (FILE_FLAGS.has(long)) value = " -r -F";
    else if (f.type === "string") value = " -x";
    return `complete -c colleague -n ${fishText(condition)} -l ${long}${short}${value} -d ${fishText(f.help)}`;
  });
}

function fishScript(): string {
  const lines = [
    "# colleague completion for fish: colleague completion fish > ~/.config/fish/completions/colleague.fish",
    "complete -c colleague -f",
    ...names.map((n) => `complete -c colleague -n __fish_use_subcommand -a ${n} -d ${fishText(specOf(n).summary)}`),
    ...fishFlags("__fish_use_subcommand", ROOT_FLAGS),
    "complete -c colleague -n __fish_use_subcommand -l version -s v -d 'print the version'",
    "complete -c colleague -l help -s h -d 'show the help'",
    ...names.flatMap((n) => {
      const spec = specOf(n);
      const condition = `__fish_seen_subcommand_from ${n}`;
      const words = spec.words ? [`complete -c colleague -n ${fishText(condition)} -a ${fishText(spec.words.join(" "))}`] : [];
      return [...words, ...fishFlags(condition, spec.flags)];
    }),
  ];
  return `${lines.join("\n")}\n`;
}
