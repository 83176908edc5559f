// Per-program argument rules: an allow rule covers a command, not its code-execution surface. Many allowed programs
// are interpreters in disguise (`git -c alias.x='!cmd'`, `node -e`, `find -exec`, `sed 's/x/y/e'`, `tar
// --to-command`) or write files no argument looks like (`git config` writes .git/config, `git log --output=F`). The
// rules below turn those arguments into asks, and the files they write or read into paths the decision checks in full
// (so a protected or outside path asks or is denied as the file rules say).
import * as path from 'node:path';
import type { ShellWord } from './shell.js';

export interface ProgramFindings {
  /** Why this invocation asks even when an allow rule covers the command. */
  asks: string[];
  reads: ShellWord[];
  writes: ShellWord[];
  /** Command lines the program will run (`npx -c`, `git rebase --exec`): analysed like `bash -c`. */
  payloads: ShellWord[];
  /** `git -C DIR`: the directory later path arguments are relative to. */
  argBase?: ShellWord;
}

const lit = (w: ShellWord, text: string): ShellWord => ({ ...w, text });

/** `--opt=value` or `--opt value` (or `-o value`, `-ovalue` for short ones): the value words of one option. */
function optionValues(words: ShellWord[], names: readonly string[], from = 1): ShellWord[] {
  const out: ShellWord[] = [];
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (w.text === '--') break;
    for (const n of names) {
      if (w.text === n && words[i + 1]) out.push(words[i + 1]!);
      else if (n.startsWith('--') && w.text.startsWith(`${n}=`)) out.push(lit(w, w.text.slice(n.length + 1)));
      else if (!n.startsWith('--') && n.length === 2 && w.text.startsWith(n) && w.text.length > 2 && !w.text.startsWith('--'))
        out.push(lit(w, w.text.slice(2)));
    }
  }
  return out;
}

function has(words: ShellWord[], names: readonly string[], from = 1): boolean {
  return words.slice(from).some((w) => names.some((n) => w.text === n || (n.startsWith('--') && w.text.startsWith(`${n}=`))));
}

/** Non-option operands (after `--` everything is an operand). */
function operands(words: ShellWord[], from: number, withValue: ReadonlySet<string> = new Set()): ShellWord[] {
  const out: ShellWord[] = [];
  let done = false;
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (!done && w.text === '--') {
      done = true;
      continue;
    }
    if (!done && w.text.startsWith('-') && w.text !== '-') {
      if (withValue.has(w.text)) i++;
      continue;
    }
    out.push(w);
  }
  return out;
}

const GIT_GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix']);
const GIT_REMOTE = new Set(['clone', 'fetch', 'pull', 'push', 'ls-remote', 'remote', 'submodule', 'archive']);
const GIT_RUNS_COMMANDS: Record<string, string> = {
  'filter-branch': '`git filter-branch` runs shell filters',
  'filter-repo': '`git filter-repo` runs Python callbacks',
  'send-email': '`git send-email` sends mail and can run commands',
  credential: '`git credential` prints stored credentials',
  'credential-store': '`git credential-store` prints stored credentials',
  'credential-cache': '`git credential-cache` prints stored credentials',
  daemon: '`git daemon` serves the repository',
  instaweb: '`git instaweb` starts a web server',
  hook: '`git hook run` runs hooks',
  am: '`git am` writes every file its patches name (including protected ones)',
};

function gitRules(words: ShellWord[], out: ProgramFindings): void {
  let i = 1;
  for (; i < words.length; i++) {
    const t = words[i]!.text;
    if (!t.startsWith('-')) break;
    const opt = t.includes('=') ? t.slice(0, t.indexOf('=')) : t;
    const value = t.includes('=') ? lit(words[i]!, t.slice(opt.length + 1)) : words[i + 1];
    if (opt === '-c' || /^-c./.test(t))
      out.asks.push('`git -c` sets configuration, which can run commands (`alias.*=!…`, `core.fsmonitor`, `core.sshCommand`, `core.pager`)');
    else if (opt === '--config-env') out.asks.push('`git --config-env` sets configuration from the environment, which can run commands');
    else if (opt === '--exec-path' && t.includes('=')) out.asks.push('`git --exec-path=DIR` runs git commands from another directory');
    else if (opt === '--git-dir' || opt === '--work-tree')
      out.asks.push(`\`git ${opt}\` points git at another repository, whose configuration can run commands`);
    else if (opt === '-C' || /^-C./.test(t)) {
      const dir = opt === '-C' ? value : lit(words[i]!, t.slice(2));
      if (dir) {
        out.reads.push(dir);
        out.argBase = dir;
      }
    }
    if (GIT_GLOBAL_WITH_VALUE.has(opt) && !t.includes('=') && !/^-[Cc]./.test(t)) i++;
  }
  const sub = words[i]?.text ?? '';
  const rest = words.slice(i + 1);
  const all = words.slice(i);
  if (all.some((w) => /(^|[^\w])ext::/.test(w.text) || /^fd::/.test(w.text))) out.asks.push('the `ext::` transport runs a command');
  if (has(all, ['--upload-pack', '--receive-pack', '--exec'], 0) || ((sub === 'clone' || sub === 'ls-remote' || sub === 'fetch') && has(all, ['-u'], 0))) {
    out.asks.push('`--upload-pack`/`--receive-pack`/`--exec` name a program git runs');
  }
  out.writes.push(...optionValues(all, ['--output', '--output-directory'], 0));
  if (sub === 'format-patch' || sub === 'archive') out.writes.push(...optionValues(all, ['-o'], 0));
  if (GIT_RUNS_COMMANDS[sub]) out.asks.push(GIT_RUNS_COMMANDS[sub]);
  if (has(all, ['--no-index'], 0)) {
    const ops = operands(rest, 0);
    // `git grep --no-index PATTERN FILES`: the first operand is the pattern unless -e/-f gave it.
    out.reads.push(...(sub === 'grep' && !has(rest, ['-e', '-f'], 0) ? ops.slice(1) : ops));
  }
  if (GIT_REMOTE.has(sub) && rest.some((w) => w.dynamic && !/^[<>]\(/.test(w.text))) {
    out.asks.push('a remote or argument only known when it runs (it may carry data out)');
  }
  switch (sub) {
    case 'apply':
      if (!has(rest, ['--check', '--stat', '--numstat', '--summary'], 0))
        out.asks.push('`git apply` writes every file its patch names (including protected ones and symlinks)');
      break;
    case 'config':
      gitConfig(rest, out);
      break;
    case 'worktree':
      if (rest[0]?.text === 'add' || rest[0]?.text === 'move') {
        const ops = operands(rest, 1, new Set(['-b', '-B', '--reason']));
        const target = rest[0].text === 'add' ? ops[0] : ops[1];
        if (target) out.writes.push(target);
      }
      break;
    case 'clone': {
      if (has(rest, ['--template', '-c', '--config'], 0)) out.asks.push('`git clone --template/--config` can install hooks or configuration that run commands');
      out.writes.push(...optionValues(rest, ['--separate-git-dir'], 0));
      const ops = operands(
        rest,
        0,
        new Set([
          '-o',
          '--origin',
          '-b',
          '--branch',
          '-u',
          '--upload-pack',
          '--reference',
          '--depth',
          '-j',
          '--jobs',
          '--filter',
          '--shallow-since',
          '--shallow-exclude',
        ]),
      );
      const [source, target] = ops;
      if (source && !/^[\w+.-]+:\/\//.test(source.text) && !/^[\w.-]+@[\w.-]+:/.test(source.text) && !source.dynamic) out.reads.push(source);
      if (target) out.writes.push(target);
      else if (source && !source.dynamic) out.writes.push(lit(source, path.posix.basename(source.text.replace(/\/+$/, '')).replace(/\.git$/, '') || '.'));
      break;
    }
    case 'bundle':
      if (rest[0]?.text === 'create') {
        const ops = operands(rest, 1);
        if (ops[0]) out.writes.push(ops[0]);
      }
      break;
    case 'submodule':
      if (rest.some((w) => w.text === 'foreach')) out.asks.push('`git submodule foreach` runs a command in each submodule');
      break;
    case 'bisect':
      if (rest[0]?.text === 'run') out.asks.push('`git bisect run` runs a command');
      break;
    case 'rebase':
      for (const cmd of optionValues(rest, ['--exec', '-x'], 0)) out.payloads.push(cmd);
      if (has(rest, ['--exec', '-x'], 0)) out.asks.push('`git rebase --exec` runs a command after each commit');
      break;
    case 'difftool':
    case 'mergetool':
      if (has(rest, ['-x', '--extcmd', '-t', '--tool'], 0)) out.asks.push(`\`git ${sub}\` with a tool runs that program`);
      break;
    case 'grep':
      if (has(rest, ['-O', '--open-files-in-pager'], 0) || rest.some((w) => /^-O./.test(w.text))) out.asks.push('`git grep -O` runs a pager program');
      break;
    default:
  }
}

const GIT_CONFIG_READS = ['--get', '--get-all', '--get-regexp', '--get-urlmatch', '-l', '--list', '--get-color', '--get-colorbool', 'get', 'list'];
const GIT_CONFIG_WRITES = [
  '--add',
  '--unset',
  '--unset-all',
  '--replace-all',
  '--rename-section',
  '--remove-section',
  '-e',
  '--edit',
  'set',
  'unset',
  'rename-section',
  'remove-section',
  'edit',
];

function gitConfig(rest: ShellWord[], out: ProgramFindings): void {
  const file = optionValues(rest, ['--file', '-f'], 0);
  const ops = operands(rest, 0, new Set(['--file', '-f', '--blob', '--type', '--default', '--comment']));
  const writes = has(rest, GIT_CONFIG_WRITES, 0) || (ops.length >= 2 && !has(rest, GIT_CONFIG_READS, 0));
  if (!writes) {
    out.reads.push(...file);
    return;
  }
  out.asks.push('`git config` changes configuration, which can run commands');
  if (has(rest, ['--global'], 0)) out.writes.push({ ...lit(rest[0]!, '~/.gitconfig'), tilde: true, dynamic: false, glob: false });
  else if (has(rest, ['--system'], 0)) out.writes.push(lit(rest[0]!, '/etc/gitconfig'));
  else if (file.length > 0) out.writes.push(...file);
  else out.writes.push(lit(rest[0]!, '.git/config'));
}

/** Options of script interpreters that run code given on the command line or load code before the script. */
const INTERPRETER_CODE_OPTIONS: Record<string, string[]> = {
  node: ['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader', '-i', '--interactive'],
  deno: ['eval'],
  bun: ['-e', '--eval', '-p', '--print', '-r', '--preload'],
  python: ['-c'],
  perl: ['-e', '-E', '-M', '-m', '-I', '-x'],
  ruby: ['-e', '-r', '-I', '-x'],
  php: ['-r', '-a', '-B', '-R', '-E', '-F'],
  lua: ['-e', '-l'],
};
/** Options after which an interpreter reads no program at all. */
const INTERPRETER_INFO = new Set(['--version', '-v', '-V', '--help', '-h', '-version']);

function interpreterKind(name: string): string | undefined {
  if (/^python[\d.]*$/.test(name) || name === 'pypy' || name === 'pypy3') return 'python';
  if (/^node(js)?$/.test(name)) return 'node';
  if (/^perl[\d.]*$/.test(name)) return 'perl';
  if (/^ruby[\d.]*$/.test(name)) return 'ruby';
  if (/^php[\d.]*$/.test(name)) return 'php';
  if (/^lua[\d.]*$/.test(name) || name === 'luajit') return 'lua';
  if (name === 'deno' || name === 'bun') return name;
  return undefined;
}

function interpreterRules(kind: string, name: string, words: ShellWord[], out: ProgramFindings): void {
  const code = INTERPRETER_CODE_OPTIONS[kind] ?? [];
  // Options before the script only: after it, they are the script's own.
  const end = words.findIndex((w, i) => i > 0 && (!w.text.startsWith('-') || w.text === '--'));
  const hit = words.slice(1, end < 0 ? words.length : end).find((w) => {
    return code.some(
      (o) =>
        w.text === o ||
        (o.startsWith('--') && w.text.startsWith(`${o}=`)) ||
        (/^-[a-zA-Z]$/.test(o) && w.text.startsWith('-') && !w.text.startsWith('--') && w.text.slice(1).includes(o[1]!) && /^-[a-zA-Z]+$/.test(w.text)),
    );
  });
  if (kind === 'deno' && words[1]?.text === 'eval') {
    out.asks.push('`deno eval` runs code given on the command line');
    return;
  }
  if (hit) {
    out.asks.push(`\`${name} ${hit.text}\` runs code given on the command line or loads code first; an allow rule covers the program, not that`);
    return;
  }
  if (kind === 'deno' || kind === 'bun') return;
  if (words.slice(1).some((w) => INTERPRETER_INFO.has(w.text))) return;
  const ops = words.slice(1).filter((w) => !w.text.startsWith('-') || w.text === '-');
  if (ops.length === 0 || ops[0]!.text === '-') {
    if (kind === 'python' && has(words, ['-m'])) return;
    out.asks.push(`\`${name}\` with no script reads its program from standard input`);
  }
}

function npmRules(name: string, words: ShellWord[], out: ProgramFindings): void {
  for (const cmd of optionValues(words, ['-c', '--call'])) {
    out.payloads.push(cmd);
    out.asks.push(`\`${name} -c\` runs a command line`);
  }
  if (has(words, ['--node-options', '--script-shell', '--userconfig', '--globalconfig', '--prefix'])) {
    out.asks.push(`\`${name}\` with options that change which code or configuration it runs`);
  }
  const sub = words.slice(1).find((w) => !w.text.startsWith('-'))?.text;
  if (
    (name === 'npm' || name === 'pnpm' || name === 'yarn') &&
    (sub === 'config' || sub === 'set') &&
    words.some((w) => w.text === 'set' || w.text === 'delete')
  ) {
    out.asks.push(`\`${name} config set\` changes configuration outside the workspace`);
  }
}

function findRules(words: ShellWord[], out: ProgramFindings): void {
  if (words.some((w) => /^-(exec|execdir|ok|okdir)$/.test(w.text))) {
    out.asks.push('`find -exec` runs a command on every file it finds (secrets included)');
  }
  for (let i = 1; i < words.length; i++) {
    if (/^-(fprint|fprint0|fls)$/.test(words[i]!.text) && words[i + 1]) out.writes.push(words[i + 1]!);
    if (words[i]!.text === '-fprintf' && words[i + 1]) out.writes.push(words[i + 1]!);
  }
}

/** sed commands that run a command (`e`), write a file (`w`, `W`) or read one (`r`, `R`), and the `s///e` and `w` flags. */
function sedScriptIsPlain(script: string): boolean {
  const pieces = script
    .split(/[;\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return pieces.every((p) => {
    const body = p.replace(/^(\d+|\$|\/(?:[^/\\]|\\.)*\/)(,(\d+|\$|\/(?:[^/\\]|\\.)*\/))?!?\s*/, '');
    if (/^[dpqQnNgGhHxlP=]$/.test(body) || body === '' || body === '{' || body === '}') return true;
    const s = /^s(.)(.*)$/s.exec(body);
    if (!s) return /^y(.).*\1.*\1$/.test(body);
    const delim = s[1]!;
    const parts = s[2]!.split(delim);
    const flags = parts[parts.length - 1] ?? '';
    return parts.length >= 3 && /^[gipI0-9m]*$/.test(flags);
  });
}

function sedRules(words: ShellWord[], out: ProgramFindings): void {
  const scripts = optionValues(words, ['-e', '--expression']);
  if (scripts.length === 0) {
    const first = words.slice(1).find((w) => !w.text.startsWith('-'));
    if (first) scripts.push(first);
  }
  if (has(words, ['-f', '--file'])) out.asks.push('`sed -f` runs a script file, which can run commands or write files');
  for (const s of scripts) {
    if (s.dynamic || !sedScriptIsPlain(s.text)) {
      out.asks.push('the sed script may run commands (`e`) or read and write files (`r`, `w`)');
      break;
    }
  }
}

function awkRules(name: string, words: ShellWord[], out: ProgramFindings): void {
  if (has(words, ['-f', '--file'])) {
    out.asks.push(`\`${name} -f\` runs a program file`);
    return;
  }
  const program = words.slice(1).find((w, i, rest) => !w.text.startsWith('-') && !['-v', '-F'].includes(rest[i - 1]?.text ?? ''));
  if (!program || program.dynamic || /system|getline|[|>]|ENVIRON|close|fflush|@load|@include/.test(program.text)) {
    out.asks.push(`the ${name} program may run commands or write files (\`system\`, \`|\`, \`>\`)`);
  }
}

function tarRules(words: ShellWord[], out: ProgramFindings): void {
  const runs = [
    '--to-command',
    '--use-compress-program',
    '-I',
    '--checkpoint-action',
    '--rsh-command',
    '--info-script',
    '-F',
    '--new-volume-script',
    '--rmt-command',
    '--index-file',
  ];
  if (has(words, runs) || words.some((w) => /^-I./.test(w.text)))
    out.asks.push('tar runs a program (`--to-command`, `--use-compress-program`, `-I`, `--checkpoint-action`)');
  const first = words[1]?.text ?? '';
  const cluster = first.startsWith('-') ? (first.startsWith('--') ? '' : first.slice(1)) : first;
  const extract = /x/.test(cluster) || has(words, ['--extract', '--get', '-x']) || words.some((w) => /^-[a-zA-Z]*x/.test(w.text) && !w.text.startsWith('--'));
  if (extract) out.asks.push('`tar -x` writes every file the archive names (including protected ones and symlinks)');
  const create = /[cru]/.test(cluster) || has(words, ['--create', '--append', '--update', '-c', '-r', '-u']);
  const files = optionValues(words, ['--file', '-f']);
  // `tar cf FILE`: the value of a clustered f is the next operand.
  if (files.length === 0 && /f/.test(cluster) && !first.startsWith('-') && words[2]) files.push(words[2]);
  if (create) out.writes.push(...files.filter((f) => f.text !== '-'));
  else out.reads.push(...files.filter((f) => f.text !== '-'));
}

function otherRules(name: string, words: ShellWord[], out: ProgramFindings): void {
  switch (name) {
    case 'rg':
      if (has(words, ['--pre'])) out.asks.push('`rg --pre` runs a program on every file');
      break;
    case 'sort':
      if (has(words, ['--compress-program'])) out.asks.push('`sort --compress-program` runs a program');
      out.writes.push(...optionValues(words, ['-o', '--output']));
      break;
    case 'rsync':
      if (has(words, ['-e', '--rsh', '--rsync-path']) || words.some((w) => /^-[a-zA-Z]*e./.test(w.text) && !w.text.startsWith('--')))
        out.asks.push('`rsync -e` runs a remote shell program');
      break;
    case 'ssh':
    case 'scp':
    case 'sftp':
      if (has(words, ['-F', '-S']) || optionValues(words, ['-o']).some((v) => /command|include|match/i.test(v.text)))
        out.asks.push(`\`${name}\` with an option that runs a local command`);
      break;
    case 'vi':
    case 'vim':
    case 'nvim':
    case 'ex':
    case 'view':
      if (words.some((w) => w.text.startsWith('+') || ['-c', '--cmd', '-S', '-s'].includes(w.text))) out.asks.push(`\`${name}\` with commands to run`);
      break;
    case 'man':
      if (has(words, ['-P', '--pager', '-H', '--html'])) out.asks.push('`man` with a program to run');
      break;
    case 'zip':
      if (has(words, ['-TT', '--unzip-command'])) out.asks.push('`zip -TT` runs a program');
      break;
    case 'less':
    case 'more':
      break;
    case 'curl':
      out.writes.push(...optionValues(words, ['-o', '--output', '-c', '--cookie-jar', '-D', '--dump-header', '--trace', '--trace-ascii', '--stderr']));
      out.reads.push(
        ...optionValues(words, ['-T', '--upload-file', '-K', '--config', '-b', '--cookie', '--cacert', '--cert', '--key']).filter((w) => !w.text.includes('=')),
      );
      break;
    case 'wget':
      out.writes.push(...optionValues(words, ['-O', '--output-document', '-o', '--output-file', '-a', '--append-output']));
      out.reads.push(...optionValues(words, ['-i', '--input-file', '--post-file', '--body-file']));
      break;
    case 'expect':
      if (has(words, ['-c'])) out.asks.push('`expect -c` runs a script');
      break;
    default:
  }
}

/** The argument rules of one program, by its name (the innermost command after wrappers). */
export function programRules(name: string, words: ShellWord[]): ProgramFindings {
  const out: ProgramFindings = { asks: [], reads: [], writes: [], payloads: [] };
  const interpreter = interpreterKind(name);
  if (interpreter) interpreterRules(interpreter, name, words, out);
  else if (name === 'git') gitRules(words, out);
  else if (name === 'npm' || name === 'npx' || name === 'pnpm' || name === 'yarn' || name === 'pnpx') npmRules(name, words, out);
  else if (name === 'find') findRules(words, out);
  else if (name === 'sed' || name === 'gsed') sedRules(words, out);
  else if (name === 'awk' || name === 'gawk' || name === 'mawk' || name === 'nawk') awkRules(name, words, out);
  else if (name === 'tar' || name === 'bsdtar' || name === 'gtar') tarRules(words, out);
  else otherRules(name, words, out);
  return out;
}
