// What `tiller check` shows of a command line besides the decision: the syntax it saw and the simple commands it
// would run, every one of them (those inside substitutions, heredocs fed to a shell and `bash -c` payloads included).
import { analyzeCommandLine } from './shell-commands.js';

export interface ShellSyntaxReport {
  /** Named tree-sitter-bash node kinds seen, sorted. */
  syntax: string[];
  /** The simple commands as parsed, each as its words (quotes removed, expansions as written). */
  commands: string[][];
  /** The commands actually decided after unwrapping wrappers (`sudo`, `env`, `timeout`, ...). */
  decided: string[][];
  parseError?: string;
}

export function shellSyntaxOf(command: string): ShellSyntaxReport {
  const a = analyzeCommandLine(command);
  return {
    syntax: a.syntax,
    commands: a.commands,
    decided: a.parts.filter((p) => !p.carrier).map((p) => [...p.assignments, ...p.words]),
    ...(a.parseError ? { parseError: a.parseError } : {}),
  };
}
