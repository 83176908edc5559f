// What each simple command really runs and touches: wrappers (`sudo`, `env`, `timeout`, `xargs`, ...) are peeled off
// to reach the wrapped command, `bash -c`/`eval` payloads and `find -exec` commands are analysed recursively, and the
// path arguments of well-known reading and writing commands become read and write checks.
import * as path from 'node:path';
import { splitShell, type ShellRedirect, type ShellWord, type SimpleCommand } from './shell.js';

export interface CommandPart {
  /** The command actually run (innermost after unwrapping); allow rules must match these words. */
  words: string[];
  /** Every spelling seen while unwrapping, outer to inner; deny and ask rules are checked against all of them. */
  forms: string[][];
  /** Only a carrier for a payload analysed separately (`bash -c`, `eval`): needs no allow of its own. */
  carrier: boolean;
  reads: ShellWord[];
  writes: ShellWord[];
  /** Paths read recursively (every file under a directory). */
  recursiveReads: ShellWord[];
  /** Paths written or removed recursively (`rm -r`, `chmod -R`, `find -delete`). */
  recursiveWrites: ShellWord[];
  /** The recursive writes apply only to what a filter selects (`find ... -delete`): a secret under them asks, not denies. */
  filteredWrites?: boolean;
  /** A search tool (`rg`, `grep -r`) that reads the working directory when none of its arguments is an existing path. */
  searchesCwd?: boolean;
  /** Every argument, checked against deny rules in case it names a secret. */
  args: ShellWord[];
  /** Set for `cd`/`pushd`: the new directory, or 'home'. */
  cd?: ShellWord | 'home';
}

export interface CommandAnalysis {
  parts: CommandPart[];
  redirects: ShellRedirect[];
  uncertain: string[];
}

const MAX_DEPTH = 8;
/** Programs whose `-c ARG` runs ARG as a shell command line. */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'su', 'runuser', 'script']);
const READERS = new Set([
  'cat', 'tac', 'head', 'tail', 'less', 'more', 'most', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'sed', 'awk', 'gawk',
  'cp', 'base64', 'base32', 'xxd', 'od', 'hexdump', 'strings', 'source', '.', 'nl', 'wc', 'sort', 'uniq', 'diff', 'cmp',
  'rev', 'cut', 'paste', 'jq', 'yq', 'file', 'md5sum', 'sha1sum', 'sha256sum', 'openssl', 'gpg', 'tar', 'zip', 'gzip',
  'ls', 'tree', 'stat', 'du', 'bat', 'view', 'vi', 'vim', 'nano', 'emacs', 'scp', 'rsync', 'curl', 'iconv', 'fold', 'fmt', 'pr', 'expand', 'column',
]);
/** Commands whose first non-option argument is a pattern or script rather than a file (unless -e/-f gives it). */
const PATTERN_FIRST = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'sed', 'awk', 'gawk', 'jq', 'yq']);
const ALL_ARGS_WRITTEN = new Set(['rm', 'rmdir', 'unlink', 'touch', 'truncate', 'mkdir', 'shred', 'tee']);
const FIRST_ARG_NOT_PATH = new Set(['chmod', 'chown', 'chgrp']);
const LAST_ARG_WRITTEN = new Set(['cp', 'mv', 'install', 'ln', 'rsync', 'scp']);

const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-h', '-p', '-D', '-r', '-t', '-T', '-U', '--user', '--group', '--chdir', '--prompt']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '-C', '--unset', '--chdir']),
  nice: new Set(['-n', '--adjustment']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set(['-I', '-n', '-P', '-L', '-s', '-d', '-E', '-a', '--arg-file', '--max-args', '--max-procs', '--delimiter', '--max-lines', '--max-chars', '--eof', '--replace']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p', '-P', '-u']),
  exec: new Set(['-a']),
  command: new Set([]),
  nohup: new Set([]),
  time: new Set(['-f', '-o', '--format', '--output']),
  builtin: new Set([]),
  setsid: new Set([]),
  unbuffer: new Set([]),
  chronic: new Set([]),
  watch: new Set(['-n', '--interval', '-d']),
  parallel: new Set(['-j', '--jobs', '-N', '-n', '-S', '--sshlogin', '-I', '--delay', '--timeout', '--joblog', '--results', '-a', '--arg-file']),
  busybox: new Set([]),
  toybox: new Set([]),
  coproc: new Set([]),
};

/**
 * Options some tools accept before their subcommand (`git -C dir push`). Deny and ask rules are also checked against
 * the command with these removed, so `deny shell(git push *)` is not dodged by `git -c x=y push`.
 */
const GLOBAL_OPTIONS: Record<string, { withValue: Set<string>; flags: Set<string> }> = {
  git: {
    withValue: new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix']),
    flags: new Set(['--no-pager', '-P', '-p', '--paginate', '--bare', '--no-replace-objects', '--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--no-optional-locks', '--no-lazy-fetch']),
  },
  npm: { withValue: new Set(['--prefix', '-C', '-w', '--workspace']), flags: new Set(['-s', '--silent', '-q', '--quiet', '-ws', '--workspaces', '-g', '--global']) },
  pnpm: { withValue: new Set(['-C', '--dir', '--filter', '-F']), flags: new Set(['-r', '--recursive', '-s', '--silent', '-w', '--workspace-root']) },
  yarn: { withValue: new Set(['--cwd']), flags: new Set(['-s', '--silent']) },
  docker: { withValue: new Set(['-H', '--host', '--context', '-c', '--config', '-l', '--log-level']), flags: new Set(['-D', '--debug']) },
  kubectl: { withValue: new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server']), flags: new Set([]) },
};

function withoutGlobalOptions(words: string[]): string[] | undefined {
  const name = words[0] === undefined ? '' : path.posix.basename(words[0]);
  const table = GLOBAL_OPTIONS[name];
  if (!table) return undefined;
  const out = [name];
  let i = 1;
  while (i < words.length) {
    const w = words[i]!;
    const opt = w.includes('=') ? w.slice(0, w.indexOf('=')) : w;
    if (table.flags.has(w)) i++;
    else if (table.withValue.has(opt)) i += w.includes('=') ? 1 : 2;
    else if (name === 'git' && /^-[Cc]./.test(w)) i++;
    else break;
  }
  if (i === 1) return undefined;
  return [...out, ...words.slice(i)];
}

function texts(words: ShellWord[]): string[] {
  return words.map((w) => w.text);
}

function nameOf(w: ShellWord | undefined): string {
  if (!w) return '';
  return w.text.includes('/') ? path.posix.basename(w.text) : w.text;
}

/** Skips a wrapper's options; returns the index of the wrapped command (or words.length). */
function skipOptions(name: string, words: ShellWord[], from: number, analysis: CommandAnalysis): number {
  const withValue = WRAPPER_OPTIONS_WITH_VALUE[name] ?? new Set<string>();
  let i = from;
  while (i < words.length) {
    const t = words[i]!.text;
    if (t === '--') return i + 1;
    if (name === 'env' && (t === '-S' || t.startsWith('--split-string'))) {
      analysis.uncertain.push('`env -S` splits a string into a command');
      return words.length;
    }
    if (name === 'env' && words[i]!.assignment) {
      i++;
      continue;
    }
    if (!t.startsWith('-') || t === '-') break;
    if (name === 'command' && (t === '-v' || t === '-V')) return words.length;
    const opt = t.includes('=') ? t.slice(0, t.indexOf('=')) : t;
    i += withValue.has(opt) && !t.includes('=') ? 2 : 1;
  }
  if (name === 'timeout' && i < words.length) i++; // the duration
  return i;
}

function shellPayload(words: ShellWord[]): ShellWord | undefined | 'none' {
  let sawC = false;
  for (let i = 1; i < words.length; i++) {
    const t = words[i]!.text;
    if ((t === '-o' || t === '+o') && !sawC) {
      i++;
      continue;
    }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(t)) {
      sawC = true;
      continue;
    }
    if (t.startsWith('-') || t.startsWith('+')) continue;
    return sawC ? words[i] : 'none';
  }
  return sawC ? undefined : 'none';
}

function pathArgs(words: ShellWord[], from: number): ShellWord[] {
  const out: ShellWord[] = [];
  let optionsDone = false;
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (!optionsDone && w.text === '--') {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && w.text.startsWith('-') && w.text !== '-') continue;
    out.push(w);
  }
  return out;
}

const ALWAYS_RECURSIVE = new Set(['rg', 'ag', 'ack', 'tar', 'zip', '7z', 'git-grep']);
const RECURSIVE_WITH_FLAG = new Set(['grep', 'egrep', 'fgrep', 'cp', 'scp', 'rsync', 'zip', 'chmod', 'chown']);

function hasRecursiveFlag(name: string, optionTexts: string[]): boolean {
  return optionTexts.some((t) => {
    if (/^--(recursive|dereference-recursive|archive|directories=recurse)$/.test(t)) return true;
    if (!/^-[a-zA-Z]+$/.test(t)) return false;
    return /[rR]/.test(t) || (name !== 'grep' && name !== 'egrep' && name !== 'fgrep' && t.includes('a'));
  });
}

/** Directories read whole: searched by rg/grep -r, copied by cp -r, archived by tar. */
function classifyRecursive(name: string, words: ShellWord[], part: CommandPart): void {
  const optionTexts = words.slice(1).map((w) => w.text);
  const recursive = ALWAYS_RECURSIVE.has(name) || (RECURSIVE_WITH_FLAG.has(name) && hasRecursiveFlag(name, optionTexts));
  if (name === 'find' && optionTexts.some((t) => t === '-delete')) {
    const end = words.findIndex((w, i) => i > 0 && /^[-(!]/.test(w.text));
    part.recursiveWrites.push(...words.slice(1, end < 0 ? words.length : end));
    part.filteredWrites = true;
  }
  const recursiveWrite =
    (name === 'rm' && hasRecursiveFlag(name, optionTexts)) ||
    ((name === 'chmod' || name === 'chown' || name === 'chgrp') && optionTexts.some((t) => /^-[a-zA-Z]*R/.test(t) || t === '--recursive'));
  if (recursiveWrite) part.recursiveWrites.push(...pathArgs(words, 1).slice(name === 'rm' ? 0 : 1));
  // Moving a directory moves everything in it.
  if (name === 'mv') part.recursiveWrites.push(...pathArgs(words, 1));
  if (!recursive || name === 'chmod' || name === 'chown') return;
  let paths = pathArgs(words, 1);
  const explicitPattern = optionTexts.some((t) => /^(-e|-f|--regexp|--file)(=|$)/.test(t));
  if (PATTERN_FIRST.has(name) && !explicitPattern) paths = paths.slice(1);
  if (LAST_ARG_WRITTEN.has(name) && paths.length >= 2) paths = paths.slice(0, -1);
  // With no path, searching tools read the working directory. Option values (`-g '*.ts'`) are hard to tell from paths
  // here, so the decision checks which arguments exist.
  if (PATTERN_FIRST.has(name)) part.searchesCwd = true;
  part.recursiveReads.push(...paths);
}

function classifyPaths(name: string, words: ShellWord[], part: CommandPart): void {
  const args = pathArgs(words, 1);
  const optionTexts = words.slice(1).map((w) => w.text);
  if (READERS.has(name)) {
    let files = args;
    const explicitPattern = optionTexts.some((t) => /^(-e|-f|--regexp|--file|--expression|--from-file)(=|$)/.test(t));
    if (PATTERN_FIRST.has(name) && !explicitPattern) files = args.slice(1);
    part.reads.push(...files);
    // `-f FILE` names a file read for its patterns or script.
    words.forEach((w, i) => {
      if ((w.text === '-f' || w.text === '--file') && words[i + 1]) part.reads.push(words[i + 1]!);
    });
    if (name === 'sed' && optionTexts.some((t) => /^(-i|--in-place)/.test(t) || /^-[a-zA-Z]*i/.test(t))) part.writes.push(...files);
  }
  classifyRecursive(name, words, part);
  if (ALL_ARGS_WRITTEN.has(name)) part.writes.push(...args);
  if (FIRST_ARG_NOT_PATH.has(name)) part.writes.push(...args.slice(1));
  if (LAST_ARG_WRITTEN.has(name) && args.length >= 2) {
    part.writes.push(args[args.length - 1]!);
    if (name === 'mv') part.writes.push(...args.slice(0, -1));
  }
  words.forEach((w, i) => {
    if ((w.text === '-t' || w.text === '--target-directory') && LAST_ARG_WRITTEN.has(name) && words[i + 1]) part.writes.push(words[i + 1]!);
  });
  if (name === 'dd') {
    for (const w of words) {
      if (w.text.startsWith('if=')) part.reads.push({ ...w, text: w.text.slice(3) });
      if (w.text.startsWith('of=')) part.writes.push({ ...w, text: w.text.slice(3) });
    }
  }
  if (name === 'find') {
    // find's paths come before its first expression.
    const end = words.findIndex((w, i) => i > 0 && /^[-(!]/.test(w.text));
    part.reads.push(...words.slice(1, end < 0 ? words.length : end));
  }
  if (name === 'cd' || name === 'pushd') part.cd = args[0] ?? 'home';
}

function analyzeCommand(cmd: SimpleCommand, analysis: CommandAnalysis, depth: number): void {
  analysis.redirects.push(...cmd.redirects);
  let words = cmd.words;
  const assignments = words.filter((w, i) => w.assignment && words.slice(0, i).every((x) => x.assignment));
  words = words.slice(assignments.length);
  if (words.length === 0) return;
  analyzeWords(words, assignments, analysis, depth);
}

function analyzeWords(initial: ShellWord[], extraArgs: ShellWord[], analysis: CommandAnalysis, depth: number): void {
  const forms: string[][] = [];
  const allArgs = [...extraArgs, ...initial];
  let words = initial;
  for (let guard = 0; guard < 32 && words.length > 0; guard++) {
    const head = words[0]!;
    if (head.dynamic) analysis.uncertain.push('the command name is only known when it runs (a variable or substitution)');
    if (head.glob) analysis.uncertain.push('a glob in command position');
    forms.push(texts(words));
    const name = nameOf(head);
    if (name !== head.text) forms.push([name, ...texts(words.slice(1))]);
    if (name === 'eval') {
      if (words.slice(1).some((w) => w.dynamic)) analysis.uncertain.push('`eval` of text only known when it runs');
      addPayload(texts(words.slice(1)).join(' '), forms, allArgs, analysis, depth);
      return;
    }
    if (SHELLS.has(name)) {
      const payload = shellPayload(words);
      if (payload === undefined) {
        analysis.uncertain.push(`\`${name} -c\` without a command`);
      } else if (payload !== 'none') {
        if (payload.dynamic) analysis.uncertain.push(`\`${name} -c\` with a command only known when it runs`);
        addPayload(payload.text, forms, allArgs, analysis, depth);
        return;
      }
      break;
    }
    if (name === 'find') {
      findExecs(words, analysis, depth);
      break;
    }
    if (name === 'parallel') {
      const at = skipOptions(name, words, 1, analysis);
      const end = words.findIndex((w, i) => i >= at && /^::::?\+?$/.test(w.text));
      const template = words.slice(at, end < 0 ? words.length : end);
      if (template.length > 0) {
        addPayload(texts(template).join(' '), forms, allArgs, analysis, depth);
        return;
      }
      break;
    }
    if (name === 'watch' && !words.some((w) => w.text === '-x' || w.text === '--exec')) {
      const at = skipOptions(name, words, 1, analysis);
      if (at < words.length) {
        addPayload(texts(words.slice(at)).join(' '), forms, allArgs, analysis, depth);
        return;
      }
      break;
    }
    if (name in WRAPPER_OPTIONS_WITH_VALUE) {
      const at = skipOptions(name, words, 1, analysis);
      if (name === 'xargs') {
        words.forEach((w, i) => {
          if ((w.text === '-a' || w.text === '--arg-file') && words[i + 1]) analysis.parts.push(readOnlyPart(words[i + 1]!));
        });
        // xargs with no command runs echo.
        words = at < words.length ? words.slice(at) : [{ ...words[0]!, text: 'echo', dynamic: false }];
        continue;
      }
      if (at >= words.length) break;
      words = words.slice(at);
      continue;
    }
    break;
  }
  const normalized = withoutGlobalOptions(texts(words));
  if (normalized) forms.push(normalized);
  const part: CommandPart = { words: texts(words), forms, carrier: false, reads: [], writes: [], recursiveReads: [], recursiveWrites: [], args: allArgs };
  classifyPaths(nameOf(words[0]), words, part);
  analysis.parts.push(part);
}

function readOnlyPart(file: ShellWord): CommandPart {
  return { words: [], forms: [], carrier: true, reads: [file], writes: [], recursiveReads: [], recursiveWrites: [], args: [file] };
}

function addPayload(payload: string, forms: string[][], args: ShellWord[], analysis: CommandAnalysis, depth: number): void {
  analysis.parts.push({ words: forms[forms.length - 1] ?? [], forms, carrier: true, reads: [], writes: [], recursiveReads: [], recursiveWrites: [], args });
  if (depth >= MAX_DEPTH) {
    analysis.uncertain.push('commands nested too deeply to analyse');
    return;
  }
  const inner = analyzeCommandLine(payload, depth + 1);
  analysis.parts.push(...inner.parts);
  analysis.redirects.push(...inner.redirects);
  analysis.uncertain.push(...inner.uncertain);
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

/** Splits and unwraps a command line into the parts to decide. */
export function analyzeCommandLine(command: string, depth = 0): CommandAnalysis {
  const split = splitShell(command, depth);
  const analysis: CommandAnalysis = { parts: [], redirects: [], uncertain: [...split.uncertain] };
  for (const cmd of split.commands) analyzeCommand(cmd, analysis, depth);
  analysis.uncertain = [...new Set(analysis.uncertain)];
  return analysis;
}
