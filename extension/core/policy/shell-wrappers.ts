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
  pkexec: new Set(['--user']),
  env: new Set(['-u', '-C', '--unset', '--chdir']),
  nice: new Set(['-n', '--adjustment']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set([
    '-I',
    '-n',
    '-P',
    '-L',
    '-s',
    '-d',
    '-E',
    '-a',
    '--arg-file',
    '--max-args',
    '--max-procs',
    '--delimiter',
    '--max-lines',
    '--max-chars',
    '--eof',
    '--replace',
  ]),
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
  // Programs that run their operand as a command with different limits, namespaces, locks or identities: what they
  // run is what counts, so a deny inside still binds.
  flock: new Set(['-w', '--wait', '--timeout', '-E', '--conflict-exit-code']),
  unshare: new Set([
    '-S',
    '--setuid',
    '-G',
    '--setgid',
    '-R',
    '--root',
    '-w',
    '--wd',
    '--propagation',
    '--map-user',
    '--map-group',
    '--map-users',
    '--map-groups',
  ]),
  taskset: new Set([]),
  fakeroot: new Set(['-l', '--lib', '--faked', '-s', '-i', '-b']),
  chroot: new Set(['--userspec', '--groups']),
  chrt: new Set([]),
  nsenter: new Set(['-t', '--target', '-S', '--setuid', '-G', '--setgid', '-r', '--root', '-w', '--wd']),
  prlimit: new Set(['-p', '--pid']),
  numactl: new Set(['-C', '--physcpubind', '-N', '--cpunodebind', '-m', '--membind', '-p', '--preferred', '-i', '--interleave']),
  setpriv: new Set([
    '--reuid',
    '--regid',
    '--groups',
    '--inh-caps',
    '--ambient-caps',
    '--bounding-set',
    '--securebits',
    '--selinux-label',
    '--apparmor-profile',
  ]),
  strace: new Set(['-o', '-e', '-p', '-s', '-u', '-E', '-a', '-b', '-I', '-O', '-P', '-S', '-X']),
  ltrace: new Set(['-o', '-e', '-p', '-s', '-u', '-a', '-n', '-A', '-D', '-F', '-l', '-x']),
  valgrind: new Set([]),
  firejail: new Set([]),
  'systemd-run': new Set([
    '-p',
    '--property',
    '-u',
    '--unit',
    '-E',
    '--setenv',
    '--uid',
    '--gid',
    '--nice',
    '--slice',
    '--description',
    '-M',
    '--machine',
    '--working-directory',
  ]),
  cgexec: new Set(['-g']),
  sg: new Set([]),
  runuser: new Set(['-u', '--user', '-g', '--group', '-G', '--supp-group', '-s', '--shell', '-w', '--whitelist-environment']),
  caffeinate: new Set(['-t', '-w']),
  'xvfb-run': new Set(['-n', '--server-num', '-e', '--error-file', '-f', '--auth-file', '-s', '--server-args', '-p', '--xauth-protocol']),
  'dbus-run-session': new Set(['--config-file', '--dbus-daemon']),
  catchsegv: new Set([]),
  'ssh-agent': new Set(['-a', '-E', '-t', '-P']),
};

/** Operands a wrapper takes before the command it runs: `timeout 5 cmd`, `taskset MASK cmd`, `flock FILE cmd`. */
const OPERANDS_BEFORE_COMMAND: Record<string, number> = { timeout: 1, taskset: 1, chrt: 1, flock: 1, chroot: 1, sg: 1 };

/**
 * Options some tools accept before their subcommand (`git -C dir push`). Deny and ask rules are also checked against
 * the command with these removed, so `deny shell(git push *)` is not dodged by `git -c x=y push`.
 */
const GLOBAL_OPTIONS: Record<string, { withValue: Set<string>; flags: Set<string> }> = {
  git: {
    withValue: new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix']),
    flags: new Set([
      '--no-pager',
      '-P',
      '-p',
      '--paginate',
      '--bare',
      '--no-replace-objects',
      '--literal-pathspecs',
      '--glob-pathspecs',
      '--noglob-pathspecs',
      '--icase-pathspecs',
      '--no-optional-locks',
      '--no-lazy-fetch',
    ]),
  },
  npm: {
    withValue: new Set(['--prefix', '-C', '-w', '--workspace']),
    flags: new Set(['-s', '--silent', '-q', '--quiet', '-ws', '--workspaces', '-g', '--global']),
  },
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

/** What a wrapper runs, once its options are skipped. */
export interface Unwrapped {
  /** Index of the wrapped command in the words (words.length when there is none). */
  at: number;
  /** `env`'s `NAME=value` operands: prefix assignments in all but name. */
  assignments: ShellWord[];
  /** A string the wrapper splits or runs as a command line itself (`env -S`, `flock -c`, `sg -c`). */
  payload?: ShellWord;
  /** Operands the wrapper itself reads or writes (`flock FILE`, `chroot DIR`). */
  operands: ShellWord[];
}

/** Skips a wrapper's options and operands; returns where the wrapped command starts. */
export function skipOptions(name: string, words: ShellWord[], from: number, uncertain: string[]): number {
  return unwrap(name, words, from, uncertain).at;
}

export function unwrap(name: string, words: ShellWord[], from: number, uncertain: string[]): Unwrapped {
  const withValue = WRAPPER_OPTIONS_WITH_VALUE[name] ?? new Set<string>();
  const result: Unwrapped = { at: words.length, assignments: [], operands: [] };
  let i = from;
  for (; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '--') {
      i++;
      break;
    }
    if (name === 'env' && (t === '-S' || t.startsWith('--split-string') || /^-[a-zA-Z]*S/.test(t))) {
      // `env -S 'a b c'` splits the string into a command and runs it: analysed as a command line.
      const inline = t.startsWith('--split-string=') ? t.slice('--split-string='.length) : /^-[a-zA-Z]*S(.+)$/.exec(t)?.[1];
      const value = inline !== undefined ? { ...words[i]!, text: inline } : words[i + 1];
      uncertain.push('`env -S` splits a string into a command');
      if (value) result.payload = value;
      return result;
    }
    if ((name === 'flock' || name === 'sg') && (t === '-c' || t === '--command')) {
      if (words[i + 1]) result.payload = words[i + 1]!;
      else uncertain.push(`\`${name} -c\` without a command`);
      return result;
    }
    if (name === 'env' && words[i]!.assignment) {
      result.assignments.push(words[i]!);
      continue;
    }
    if (name === 'taskset' && /^-[a-z]*p/.test(t)) return result; // acts on a running process
    if (!t.startsWith('-') || t === '-') break;
    if (name === 'command' && (t === '-v' || t === '-V')) return result;
    const opt = t.includes('=') ? t.slice(0, t.indexOf('=')) : t;
    if (withValue.has(opt) && !t.includes('=')) i++;
  }
  const operands = OPERANDS_BEFORE_COMMAND[name] ?? 0;
  for (let k = 0; k < operands && i < words.length; k++, i++) {
    result.operands.push(words[i]!);
    // `flock FILE -c CMD`, `sg GROUP -c CMD`: the command string comes after the operand.
    if ((name === 'flock' || name === 'sg') && (words[i + 1]?.text === '-c' || words[i + 1]?.text === '--command')) {
      if (words[i + 2]) result.payload = words[i + 2]!;
      else uncertain.push(`\`${name} -c\` without a command`);
      return result;
    }
  }
  result.at = i;
  return result;
}

/** Shell options that take a value (`bash -O extglob`, `bash -o posix`, `bash --rcfile FILE`). */
const SHELL_OPTIONS_WITH_VALUE = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);
/** `su`/`runuser` take the user as an operand and `-c` anywhere: `su root -c CMD`, `su -c CMD root`. */
const ANYWHERE_C = new Set(['su', 'runuser']);

/**
 * The command string a shell runs with `-c` (also inside clusters like `-lc`): the word after the options. 'none' when
 * the shell runs a script file; 'stdin' when it reads its commands from standard input; undefined when `-c` has
 * nothing after it.
 */
export function shellPayload(words: ShellWord[], name = ''): ShellWord | undefined | 'none' | 'stdin' {
  let sawC = false;
  let sawS = false;
  for (let i = 1; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '--command' || (ANYWHERE_C.has(name) && t === '--command')) {
      return words[i + 1];
    }
    if (t.startsWith('--command=')) return { ...words[i]!, text: t.slice('--command='.length) };
    if (SHELL_OPTIONS_WITH_VALUE.has(t) && !sawC) {
      i++;
      continue;
    }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(t)) {
      sawC = true;
      if (ANYWHERE_C.has(name)) return words[i + 1];
      continue;
    }
    if (/^-[a-zA-Z]*s[a-zA-Z]*$/.test(t)) sawS = true;
    if (t === '--') continue;
    if (t.startsWith('-') || t.startsWith('+')) continue;
    if (ANYWHERE_C.has(name)) continue; // the user name
    if (sawC) return words[i];
    return sawS ? 'stdin' : 'none';
  }
  if (sawC) return undefined;
  return ANYWHERE_C.has(name) ? 'none' : 'stdin';
}
