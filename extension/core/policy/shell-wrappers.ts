// Wrapper programs that run another command (`sudo rm`, `timeout 5 rm`, `xargs rm`), shells that run a string
// (`bash -c`), and tools whose global options come before a subcommand (`git -C dir push`).
import * as path from 'node:path';
import type { ShellWord } from './shell.js';

/** Programs whose `-c ARG` runs ARG as a shell command line. */
export const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'su', 'runuser', 'script']);

/** Each wrapper's options that take a value (so the value is not mistaken for the wrapped command). */
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

/** The command with its tool's global options removed, or undefined when there were none to remove. */
export function withoutGlobalOptions(words: string[]): string[] | undefined {
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

export const WRAPPERS: ReadonlySet<string> = new Set(Object.keys(WRAPPER_OPTIONS_WITH_VALUE));

/** Skips a wrapper's options; returns the index of the wrapped command (or words.length). */
export function skipOptions(name: string, words: ShellWord[], from: number, uncertain: string[]): number {
  const withValue = WRAPPER_OPTIONS_WITH_VALUE[name] ?? new Set<string>();
  let i = from;
  while (i < words.length) {
    const t = words[i]!.text;
    if (t === '--') return i + 1;
    if (name === 'env' && (t === '-S' || t.startsWith('--split-string'))) {
      uncertain.push('`env -S` splits a string into a command');
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

/**
 * The command string a shell runs with `-c` (also inside clusters like `-lc`): the word after the options. 'none' when
 * the shell runs a script or stdin instead; undefined when `-c` has nothing after it.
 */
export function shellPayload(words: ShellWord[]): ShellWord | undefined | 'none' {
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
