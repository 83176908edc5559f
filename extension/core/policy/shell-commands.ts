// What each simple command really runs and touches: wrappers (`sudo`, `env`, `timeout`, `flock`, `xargs`, ...) are
// peeled off to reach the wrapped command, `bash -c`/`eval`/`env -S` payloads, heredocs fed to a shell and `find
// -exec` commands are analysed recursively, per-program argument rules find code-execution surfaces
// (shell-programs.ts), and the paths each command reads and writes are collected (shell-paths.ts).
import * as path from 'node:path';
import { splitShell, type ShellRedirect, type ShellSplit, type ShellWord, type SimpleCommand } from './shell.js';
import { classifyPaths, type PathEffects } from './shell-paths.js';
import { programRules } from './shell-programs.js';
import { SHELLS, WRAPPERS, shellPayload, skipOptions, unwrap, withoutGlobalOptions } from './shell-wrappers.js';

export interface CommandPart extends PathEffects {
  /** The command actually run (innermost after unwrapping); allow rules must match these words. */
  words: string[];
  /** Every spelling seen while unwrapping, outer to inner; deny and ask rules are checked against all of them. */
  forms: string[][];
  /** Only a carrier for a payload analysed separately (`bash -c`, `eval`): needs no allow of its own. */
  carrier: boolean;
  /** Every argument, checked against deny rules in case it names a secret. */
  args: ShellWord[];
  /**
   * Assignments that prefix the command (`NODE_OPTIONS=… npm test`, `env GIT_SSH_COMMAND=… git fetch`): an allow
   * rule matches only when it names them too, since they change what the command runs.
   */
  assignments: string[];
  /** Why the program's arguments ask even under an allow rule (shell-programs.ts). */
  asks: string[];
  /** `git -C DIR`: path arguments are also checked relative to DIR. */
  argBase?: ShellWord;
}

export interface CommandAnalysis {
  parts: CommandPart[];
  redirects: ShellRedirect[];
  uncertain: string[];
  /** The simple commands as parsed (before unwrapping), for `tiller check --json`. */
  commands: string[][];
  /** The syntax node kinds seen. */
  syntax: string[];
  parseError?: string;
}

const MAX_DEPTH = 8;
/** Files that are a process's standard input. */
const STDIN_FILES = /^\/(dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/;

function texts(words: ShellWord[]): string[] {
  return words.map((w) => w.text);
}

function nameOf(w: ShellWord | undefined): string {
  if (!w) return '';
  return w.text.includes('/') ? path.posix.basename(w.text) : w.text;
}

function emptyPart(words: string[], forms: string[][], carrier: boolean, args: ShellWord[], assignments: string[]): CommandPart {
  return { words, forms, carrier, reads: [], writes: [], recursiveReads: [], recursiveWrites: [], args, assignments, asks: [] };
}

function analyzeCommand(cmd: SimpleCommand, analysis: CommandAnalysis, depth: number): void {
  analysis.redirects.push(...cmd.redirects);
  let words = cmd.words;
  const assignments = words.filter((w, i) => w.assignment && words.slice(0, i).every((x) => x.assignment));
  words = words.slice(assignments.length);
  if (words.length === 0) return;
  if (cmd.function) {
    // A call of a function defined earlier in the line: its body was analysed at the definition. Deny and ask rules
    // still see the call's own words.
    analysis.parts.push(
      emptyPart(
        texts(words),
        [texts(words)],
        true,
        [...assignments, ...words],
        assignments.map((w) => w.text),
      ),
    );
    return;
  }
  analyzeWords(words, assignments, analysis, depth, cmd.stdin, cmd.pipedFrom);
}

function analyzeWords(initial: ShellWord[], prefix: ShellWord[], analysis: CommandAnalysis, depth: number, stdin?: ShellWord, pipedFrom?: ShellWord[]): void {
  /** Directories that bound what `xargs` appends (see listedRoots), once the xargs wrapper has been seen. */
  let appendedFrom: ShellWord[] | undefined;
  const forms: string[][] = [];
  const allArgs = [...prefix, ...initial];
  const assignments = prefix.map((w) => w.text);
  let words = initial;
  for (let guard = 0; guard < 32 && words.length > 0; guard++) {
    const head = words[0]!;
    if (head.dynamic || head.alternatives) analysis.uncertain.push('the command name is only known when it runs (a variable or substitution)');
    if (head.glob) analysis.uncertain.push('a glob in command position');
    forms.push(texts(words));
    const name = nameOf(head);
    if (name !== head.text) forms.push([name, ...texts(words.slice(1))]);
    if (name === 'trap') {
      // `trap 'cmd' SIGNAL` runs cmd later: analysed now as if it ran.
      const action = words.slice(1).find((w) => !w.text.startsWith('-'));
      if (action && words.length > 2) {
        if (action.dynamic) analysis.uncertain.push('`trap` with a command only known when it runs');
        addPayload(action.text, forms, allArgs, assignments, analysis, depth);
        return;
      }
      break;
    }
    if (name === 'eval') {
      if (words.slice(1).some((w) => w.dynamic)) analysis.uncertain.push('`eval` of text only known when it runs');
      addPayload(texts(words.slice(1)).join(' '), forms, allArgs, assignments, analysis, depth);
      return;
    }
    if (SHELLS.has(name)) {
      // `bash -$x 'cmd'` may be `bash -c 'cmd'`: a shell's arguments must all be known.
      if (words.slice(1).some((w) => w.dynamic)) analysis.uncertain.push(`\`${name}\` with arguments only known when it runs`);
      let payload = shellPayload(words, name);
      if (payload === 'none') {
        // `bash /dev/stdin <<< 'cmd'` reads the here-string; `bash <(printf 'cmd')` runs what a command prints.
        const script = words.slice(1).find((w) => !w.text.startsWith('-') && !w.text.startsWith('+'));
        if (script && STDIN_FILES.test(script.text)) payload = 'stdin';
        else if (script?.dynamic) analysis.uncertain.push(`\`${name}\` runs a script only known when it runs`);
      }
      if (payload === 'none') {
        // `bash zap` runs the script `zap`, found in the working directory or on PATH: deny rules see its name.
        const script = words.slice(1).find((w) => !w.text.startsWith('-') && !w.text.startsWith('+'));
        if (script) forms.push([nameOf(script), ...texts(words.slice(words.indexOf(script) + 1))]);
      }
      if (payload === undefined) {
        analysis.uncertain.push(`\`${name} -c\` without a command`);
      } else if (payload === 'stdin') {
        // `bash <<'EOF' ... EOF`, `sh -s <<< 'cmd'`: the heredoc is the script. From a pipe it cannot be known.
        if (stdin && !stdin.dynamic) {
          addPayload(stdin.text, forms, allArgs, assignments, analysis, depth);
          return;
        }
        analysis.uncertain.push(`\`${name}\` reads its commands from standard input`);
      } else if (payload !== 'none') {
        if (payload.dynamic) analysis.uncertain.push(`\`${name} -c\` with a command only known when it runs`);
        addPayload(payload.text, forms, allArgs, assignments, analysis, depth);
        return;
      }
      if (!WRAPPERS.has(name)) break;
    }
    if ((name === 'source' || name === '.') && words[1]) {
      // Sourcing runs the file in this shell; from standard input or a substitution it is a payload like `bash -c`.
      const file = words[1];
      if (STDIN_FILES.test(file.text)) {
        if (stdin && !stdin.dynamic) {
          addPayload(stdin.text, forms, allArgs, assignments, analysis, depth);
          return;
        }
        analysis.uncertain.push(`\`${name}\` reads its commands from standard input`);
      } else if (file.dynamic) analysis.uncertain.push(`\`${name}\` runs a file only known when it runs`);
    }
    if (name === 'parallel') {
      const at = skipOptions(name, words, 1, analysis.uncertain);
      const end = words.findIndex((w, i) => i >= at && /^::::?\+?$/.test(w.text));
      const template = words.slice(at, end < 0 ? words.length : end);
      if (template.length > 0) {
        addPayload(texts(template).join(' '), forms, allArgs, assignments, analysis, depth);
        return;
      }
      break;
    }
    if (name === 'watch' && !words.some((w) => w.text === '-x' || w.text === '--exec')) {
      const at = skipOptions(name, words, 1, analysis.uncertain);
      if (at < words.length) {
        addPayload(texts(words.slice(at)).join(' '), forms, allArgs, assignments, analysis, depth);
        return;
      }
      break;
    }
    if (WRAPPERS.has(name)) {
      const u = unwrap(name, words, 1, analysis.uncertain);
      assignments.push(...u.assignments.map((w) => w.text));
      allArgs.push(...u.operands);
      if (u.operands.length > 0 && name === 'flock') analysis.parts.push(pathPart(u.operands[0]!, 'write'));
      if (u.payload) {
        if (u.payload.dynamic) analysis.uncertain.push(`\`${name}\` runs a command only known when it runs`);
        addPayload(u.payload.text, forms, allArgs, assignments, analysis, depth);
        return;
      }
      if (name === 'xargs') {
        words.forEach((w, i) => {
          if ((w.text === '-a' || w.text === '--arg-file') && words[i + 1]) analysis.parts.push(pathPart(words[i + 1]!, 'read'));
        });
        // xargs with no command runs echo.
        words = u.at < words.length ? words.slice(u.at) : [{ ...words[0]!, text: 'echo', dynamic: false }];
        // The arguments it appends come from standard input: `ls -a | xargs cat` reads `.env` with an allowed `cat`.
        // When the producer only lists a directory they are decided as every file under it (recursively);
        // from any other producer they are unknown. A command that only prints its arguments is safe either way.
        if (!ECHOING_PROGRAMS.has(nameOf(words[0]))) {
          appendedFrom = pipedFrom && !stdin ? listedRoots(pipedFrom) : undefined;
          if (!appendedFrom) analysis.uncertain.push(`\`xargs\` gives \`${nameOf(words[0])}\` arguments read from standard input, only known when it runs`);
        }
        continue;
      }
      if (u.at >= words.length) break;
      words = words.slice(u.at);
      continue;
    }
    break;
  }
  const normalized = withoutGlobalOptions(texts(words));
  if (normalized) forms.push(normalized);
  const part = emptyPart(texts(words), forms, false, allArgs, assignments);
  const name = nameOf(words[0]);
  classifyPaths(name, appendedFrom ? [...words, ...appendedFrom] : words, part);
  if (appendedFrom) moveToRecursive(part, appendedFrom);
  const rules = programRules(name, words);
  part.asks.push(...rules.asks);
  part.reads.push(...rules.reads);
  part.writes.push(...rules.writes);
  if (rules.argBase) part.argBase = rules.argBase;
  analysis.parts.push(part);
  for (const p of rules.payloads) {
    if (p.dynamic) analysis.uncertain.push(`\`${name}\` runs a command only known when it runs`);
    addPayload(p.text, [], [], [], analysis, depth, false);
  }
  if (name === 'find') findExecs(words, analysis, depth);
}

/**
 * The directories a listing command names files under, when that is all it does and every word is understood:
 * `find DIR...` (without actions that run, delete or write), `ls DIR...` with short flags that take no argument,
 * and `git ls-files PATH...`. Undefined for anything else: an option whose argument could be mistaken for a directory
 * (`ls -I x`) would bound the files to the wrong place, so only known shapes are bounded and the rest ask.
 */
function listedRoots(producer: ShellWord[]): ShellWord[] | undefined {
  const name = nameOf(producer[0]);
  let args = producer.slice(1);
  const dot = (): ShellWord => ({ ...producer[0]!, text: '.', dynamic: false, glob: false, tilde: false, assignment: false, quoted: false });
  let roots: ShellWord[];
  if (name === 'find') {
    // Leading -H, -L, -P choose how links are followed; then come the start points, then the expression.
    while (args[0] && /^-[HLP]$/.test(args[0].text)) args = args.slice(1);
    if (args.some((w) => /^-(exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls|files0-from)$/.test(w.text))) return undefined;
    const expression = args.findIndex((w) => /^[-(!]/.test(w.text));
    roots = expression < 0 ? args : args.slice(0, expression);
  } else if (name === 'ls') {
    const options = args.filter((w) => w.text.startsWith('-'));
    if (options.some((w) => !/^-[a-zA-Z1]+$/.test(w.text) || /[IwT]/.test(w.text))) return undefined;
    roots = args.filter((w) => !w.text.startsWith('-'));
  } else if (name === 'git' && args[0]?.text === 'ls-files') {
    args = args.slice(1);
    const options = args.filter((w) => w.text.startsWith('-') && w.text !== '--');
    if (options.some((w) => !/^-[a-zA-Z]+$/.test(w.text) || /[xX]/.test(w.text))) return undefined;
    roots = args.filter((w) => !w.text.startsWith('-'));
  } else {
    return undefined;
  }
  if (roots.length === 0) roots = [dot()];
  if (roots.some((w) => w.dynamic || w.alternatives || w.glob)) return undefined;
  return roots;
}

/** What classifyPaths took as plain operands among the listing's roots stands for every file under them. */
function moveToRecursive(part: CommandPart, roots: readonly ShellWord[]): void {
  const isRoot = (w: ShellWord) => roots.includes(w);
  part.recursiveReads.push(...part.reads.filter(isRoot));
  part.recursiveWrites.push(...part.writes.filter(isRoot));
  part.reads = part.reads.filter((w) => !isRoot(w));
  part.writes = part.writes.filter((w) => !isRoot(w));
  // A program not known to read or write its operands still gets them: decided as a recursive read, never less.
  if (!roots.every((w) => part.recursiveReads.includes(w) || part.recursiveWrites.includes(w)))
    part.recursiveReads.push(...roots.filter((w) => !part.recursiveReads.includes(w)));
}

/** Programs that only print their arguments: what xargs appends to them cannot reach a file. */
const ECHOING_PROGRAMS: ReadonlySet<string> = new Set(['echo', 'printf']);

function pathPart(file: ShellWord, kind: 'read' | 'write'): CommandPart {
  const part = emptyPart([], [], true, [file], []);
  (kind === 'read' ? part.reads : part.writes).push(file);
  return part;
}

function addPayload(
  payload: string,
  forms: string[][],
  args: ShellWord[],
  assignments: string[],
  analysis: CommandAnalysis,
  depth: number,
  carrier = true,
): void {
  if (carrier) analysis.parts.push(emptyPart(forms[forms.length - 1] ?? [], forms, true, args, assignments));
  if (depth >= MAX_DEPTH) {
    analysis.uncertain.push('commands nested too deeply to analyse');
    return;
  }
  const inner = analyzeCommandLine(payload, depth + 1);
  // Assignments before a carrier (`FOO=1 bash -c 'npm test'`) reach the commands inside it.
  if (assignments.length > 0) for (const p of inner.parts) p.assignments = [...assignments, ...p.assignments];
  analysis.parts.push(...inner.parts);
  analysis.redirects.push(...inner.redirects);
  analysis.uncertain.push(...inner.uncertain);
  analysis.commands.push(...inner.commands);
}

function findExecs(words: ShellWord[], analysis: CommandAnalysis, depth: number): void {
  for (let i = 1; i < words.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(words[i]!.text)) continue;
    let j = i + 1;
    while (j < words.length && words[j]!.text !== ';' && words[j]!.text !== '+') j++;
    const inner = words.slice(i + 1, j);
    if (inner.length > 0) analyzeWords(inner, [], analysis, depth + 1);
    i = j;
  }
}

function fromSplit(split: ShellSplit, depth: number): CommandAnalysis {
  const analysis: CommandAnalysis = {
    parts: [],
    redirects: [],
    uncertain: [...split.uncertain],
    commands: split.commands.filter((c) => c.words.length > 0).map((c) => texts(c.words)),
    syntax: split.syntax,
    ...(split.parseError ? { parseError: split.parseError } : {}),
  };
  for (const cmd of split.commands) analyzeCommand(cmd, analysis, depth);
  analysis.uncertain = [...new Set(analysis.uncertain)];
  return analysis;
}

/** Splits and unwraps a command line into the parts to decide. */
export function analyzeCommandLine(command: string, depth = 0): CommandAnalysis {
  return fromSplit(splitShell(command), depth);
}
