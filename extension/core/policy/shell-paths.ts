// Which paths a simple command reads and writes, as far as well-known commands tell: the files `cat` reads, the
// target `cp` writes, the directory `rg` searches whole, what `rm -r` removes. Unknown commands contribute nothing here
// (their arguments are still checked against secrets, and they need an allow rule of their own).
import type { ShellWord } from './shell.js';

export interface PathEffects {
  reads: ShellWord[];
  writes: ShellWord[];
  /** Paths read recursively (every file under a directory). */
  recursiveReads: ShellWord[];
  /** Paths written or removed recursively (`rm -r`, `chmod -R`, `find -delete`). */
  recursiveWrites: ShellWord[];
  /** The recursive writes apply only to what a filter selects (`find ... -delete`): a secret under them asks, not denies. */
  filteredWrites?: boolean;
  /** The recursive read follows symbolic links (`grep -R`, `rg -L`, `cp -L`, `tar -h`). */
  followsLinks?: boolean;
  /** A search tool (`rg`, `grep -r`) that reads the working directory when none of its arguments is an existing path. */
  searchesCwd?: boolean;
  /** Set for `cd`/`pushd`: the new directory, or 'home'. */
  cd?: ShellWord | 'home';
}

const READERS = new Set([
  'cat',
  'tac',
  'head',
  'tail',
  'less',
  'more',
  'most',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'sed',
  'awk',
  'gawk',
  'cp',
  'base64',
  'base32',
  'xxd',
  'od',
  'hexdump',
  'strings',
  'source',
  '.',
  'nl',
  'wc',
  'sort',
  'uniq',
  'diff',
  'cmp',
  'rev',
  'cut',
  'paste',
  'jq',
  'yq',
  'file',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'openssl',
  'gpg',
  'tar',
  'zip',
  'gzip',
  'ls',
  'tree',
  'stat',
  'du',
  'bat',
  'view',
  'vi',
  'vim',
  'nano',
  'emacs',
  'scp',
  'rsync',
  'curl',
  'iconv',
  'fold',
  'fmt',
  'pr',
  'expand',
  'column',
]);
/** Commands whose first non-option argument is a pattern or script rather than a file (unless -e/-f gives it). */
const PATTERN_FIRST = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'sed', 'awk', 'gawk', 'jq', 'yq']);
const ALL_ARGS_WRITTEN = new Set(['rm', 'rmdir', 'unlink', 'touch', 'truncate', 'mkdir', 'shred', 'tee']);
const FIRST_ARG_NOT_PATH = new Set(['chmod', 'chown', 'chgrp']);
const LAST_ARG_WRITTEN = new Set(['cp', 'mv', 'install', 'ln', 'rsync', 'scp']);

/** Options whose value is the next word and is not a file operand (a pattern, a script, a count). */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  grep: new Set(['-e', '--regexp', '-f', '--file', '-m', '--max-count', '-A', '-B', '-C']),
  egrep: new Set(['-e', '--regexp', '-f', '--file', '-m', '-A', '-B', '-C']),
  fgrep: new Set(['-e', '--regexp', '-f', '--file', '-m', '-A', '-B', '-C']),
  sed: new Set(['-e', '--expression', '-f', '--file', '-l']),
  rg: new Set(['-e', '--regexp', '-f', '--file', '-g', '--glob', '-t', '--type', '-T', '--type-not', '-m', '--max-count', '-A', '-B', '-C', '-j', '--threads']),
  awk: new Set(['-f', '--file', '-v', '--assign', '-F', '--field-separator']),
  gawk: new Set(['-f', '--file', '-v', '--assign', '-F', '--field-separator']),
  head: new Set(['-n', '-c', '--lines', '--bytes']),
  tail: new Set(['-n', '-c', '--lines', '--bytes']),
  cut: new Set(['-d', '-f', '-c', '-b']),
  sort: new Set(['-o', '--output', '-k', '--key', '-t', '-S', '-T']),
  jq: new Set(['--arg', '--argjson', '--slurpfile', '--rawfile', '--indent']),
};

function pathArgs(words: ShellWord[], from: number): ShellWord[] {
  const out: ShellWord[] = [];
  let optionsDone = false;
  const withValue = VALUE_OPTIONS[words[0] === undefined ? '' : words[0].text.split('/').pop()!];
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (!optionsDone && w.text === '--') {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && withValue?.has(w.text)) {
      i++;
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
function classifyRecursive(name: string, words: ShellWord[], part: PathEffects): void {
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
  part.followsLinks = optionTexts.some(
    (t) =>
      /^--(dereference-recursive|follow|dereference)$/.test(t) ||
      (/^-[a-zA-Z]+$/.test(t) && (name === 'tar' ? /h/.test(t) : /[RL]/.test(t) && !(name === 'cp' && !/L/.test(t)))),
  );
  part.recursiveReads.push(...paths);
}

export function classifyPaths(name: string, words: ShellWord[], part: PathEffects): void {
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
