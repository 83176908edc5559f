// Decisions for a shell command line: its working directory, every simple command in it, every redirection and every
// path it names. The command is allowed only when every contribution allows; anything not understood asks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeCommandLine, type CommandPart } from './shell-commands.js';
import type { ShellWord } from './shell.js';
import { fileContributions, fromRule, isWritten, named, NAMED, printable, type PolicyContext } from './file-decision.js';
import { matchGlob } from './glob.js';
import { resolveForPolicy } from './paths.js';
import { MAX_SCANNED_ENTRIES, scanForDenied } from './secret-scan.js';
import { expandGlob, secretProbes } from './shell-globs.js';
import { shellRuleMatches } from './rules.js';
import type { PolicyDecision } from './types.js';

/** Names of the shell analysis's own rules, as they appear in decisions and in `tiller check`. */
export const SHELL_RULES = {
  /** The line does not parse as bash. */
  syntax: 'builtin: shell syntax',
  /** An assignment prefix (`NODE_OPTIONS=… npm test`) that no allow rule names. */
  assignment: 'builtin: assignment prefix',
  /** A program's code-execution surface (`git -c`, `node -e`, `find -exec`, `sed .../e`). */
  programArguments: 'builtin: program arguments',
  /** The shell tool's working directory. */
  workingDirectory: 'builtin: working directory',
} as const;

const HARMLESS_DEVICES = /^\/dev\/(null|zero|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$/;
// NUL, terminal escapes and other control characters (tab, newline and carriage return aside), invisible and
// bidirectional characters: none belongs in a command, and each can make the text a user approves differ from what runs.
// eslint-disable-next-line no-control-regex
const SUSPICIOUS_COMMAND = /[\0-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF]/;
/** Commands whose arguments are text, never files. */
const TEXT_ARGUMENTS = new Set([
  'echo',
  'printf',
  'true',
  'false',
  ':',
  'exit',
  'return',
  'sleep',
  'export',
  'local',
  'readonly',
  'unset',
  'shift',
  'set',
  'type',
  'which',
  'command',
  'hash',
  'alias',
  'test',
  '[',
  'seq',
  'yes',
  'basename',
  'dirname',
  'date',
  'expr',
  'let',
]);

/** How much of a path's decision counts: all of it, only what bounds it (denies and builtin protections), or secrets. */
type PathMode = 'full' | 'bounds' | 'secrets';

export function shellContributions(ctx: PolicyContext, command: string, cwd?: string): PolicyDecision[] {
  if (command.trim() === '') return [named('ask', NAMED.shellAnalysis, 'builtin', 'the command is empty')];
  if (SUSPICIOUS_COMMAND.test(command)) {
    return [named('deny', NAMED.suspiciousCommand, 'builtin', `\`${printable(command)}\` contains control, invisible or bidirectional characters`)];
  }
  const base = ctx.roots[0] ?? process.cwd();
  const out: PolicyDecision[] = [];
  let start = base;
  if (cwd !== undefined && cwd !== '' && cwd !== '.') {
    const checked = workingDirectory(ctx, base, cwd);
    out.push(...checked.decisions);
    start = checked.absolute;
  }
  const analysis = analyzeCommandLine(command);
  for (const u of analysis.uncertain) {
    const rule = u === analysis.parseError ? SHELL_RULES.syntax : NAMED.shellAnalysis;
    out.push(named('ask', rule, 'builtin', `the command cannot be fully analysed: ${u}`));
  }
  const cwds = [start];
  for (const part of analysis.parts) {
    out.push(...partContributions(ctx, part));
    const argCwds = part.argBase ? [...cwds, ...baseDirs(ctx, part.argBase, cwds)] : cwds;
    for (const w of part.reads) out.push(...pathContributions(ctx, 'read', w, argCwds, 'full'));
    for (const w of part.writes) out.push(...pathContributions(ctx, 'write', w, argCwds, 'bounds'));
    const textOnly = TEXT_ARGUMENTS.has(part.words[0] ?? '');
    for (const w of part.args) out.push(...pathContributions(ctx, 'read', w, argCwds, 'secrets', !textOnly && !part.carrier));
    for (const w of part.recursiveReads) out.push(...recursiveContributions(ctx, 'read', w, argCwds, part.followsLinks));
    for (const w of part.recursiveWrites) out.push(...recursiveContributions(ctx, part.filteredWrites ? 'filtered-write' : 'write', w, argCwds));
    if (part.searchesCwd && !part.recursiveReads.some((w) => existsFromAny(ctx, w, cwds))) {
      out.push(...recursiveContributions(ctx, 'read', { text: '.', dynamic: false, glob: false, tilde: false, assignment: false }, cwds, part.followsLinks));
    }
    if (part.cd) out.push(...followCd(ctx, part.cd, cwds));
  }
  for (const r of analysis.redirects) out.push(...pathContributions(ctx, r.kind, r.target, cwds, 'full'));
  if (out.length === 0) out.push(named('ask', NAMED.shellAsks, 'default', 'the command runs nothing that could be checked'));
  return out;
}

/**
 * The shell tool's `cwd`: resolved against the first root, and checked as a path. Outside the workspace or denied to
 * read: denied; a protected directory (`.git`, `.tiller`): asks, since a command there writes into it.
 */
function workingDirectory(ctx: PolicyContext, base: string, cwd: string): { absolute: string; decisions: PolicyDecision[] } {
  const shown = `working directory \`${printable(cwd)}\``;
  const r = resolveForPolicy(ctx.roots, cwd, { cwd: base, caseInsensitive: ctx.caseInsensitive });
  if (!r.ok) return { absolute: base, decisions: [named('deny', NAMED.suspiciousPath, 'builtin', `${shown} refused: ${r.reason}`)] };
  if (r.root === undefined) {
    return { absolute: r.absolute, decisions: [named('deny', NAMED.outside, 'default', `${shown} (${r.absolute}) is outside the workspace roots`)] };
  }
  const decisions: PolicyDecision[] = [];
  const denied = fileContributions(ctx, 'read', r.absolute).find((d) => d.decision === 'deny');
  if (denied) decisions.push({ ...denied, reason: `${shown}: ${denied.reason}` });
  const protectedDir = ctx.rules.find(
    (rule) => rule.kind === 'write' && rule.source === 'builtin' && matchGlob(rule.glob, { relative: r.relative, absolute: r.absolute }, ctx.caseInsensitive),
  );
  if (protectedDir) {
    decisions.push(named('ask', SHELL_RULES.workingDirectory, 'builtin', `${shown} is protected by \`${protectedDir.text}\`: commands there write into it`));
  }
  return { absolute: r.absolute, decisions };
}

function partContributions(ctx: PolicyContext, part: CommandPart): PolicyDecision[] {
  const shown = [...part.assignments, ...part.words].join(' ');
  const subject = `\`${printable(shown)}\``;
  const out: PolicyDecision[] = [];
  const withAssignments = [...part.assignments, ...part.words];
  let bareAllow: string | undefined;
  for (const rule of ctx.rules) {
    if (rule.kind !== 'shell') continue;
    let hit: boolean;
    if (rule.decision === 'allow') {
      hit = !part.carrier && shellRuleMatches(rule, withAssignments);
      if (!hit && !part.carrier && part.assignments.length > 0 && shellRuleMatches(rule, part.words)) bareAllow = rule.text;
    } else {
      hit = part.forms.some((f) => shellRuleMatches(rule, f, ctx.caseInsensitive)) || shellRuleMatches(rule, part.words, ctx.caseInsensitive);
    }
    if (hit) out.push(fromRule(rule, subject));
  }
  if (bareAllow !== undefined && !out.some((d) => d.decision === 'allow')) {
    out.push(
      named(
        'ask',
        SHELL_RULES.assignment,
        'builtin',
        `${subject}: \`${bareAllow}\` covers the command, not the assignments before it (${part.assignments.map((a) => `\`${printable(a.split('=')[0] ?? a)}\``).join(', ')} change what it runs); a rule must name them`,
      ),
    );
  }
  for (const why of part.asks) out.push(named('ask', SHELL_RULES.programArguments, 'builtin', `${subject}: ${why}`));
  if (!part.carrier && !out.some(isWritten)) {
    out.push(named('ask', NAMED.shellAsks, 'default', `${subject}: shell commands ask unless a rule allows them`));
  }
  return out;
}

/** The concrete path a word names when run from `cwd`, or undefined for another user's home (`~user`). */
function concrete(w: ShellWord, cwd: string): string | undefined {
  if (w.pwd) return cwd + w.text;
  if (!w.tilde) return w.text;
  if (w.text === '~' || w.text.startsWith('~/')) return os.homedir() + w.text.slice(1);
  return undefined;
}

function candidates(text: string, mode: PathMode): string[] {
  if (mode !== 'secrets') return [text];
  const out = [text];
  const eq = text.indexOf('=');
  if (eq >= 0) out.push(text.slice(eq + 1));
  if (text.startsWith('@')) out.push(text.slice(1));
  // `git show HEAD:.env`, `scp host:path`, `docker cp c:/path`: the part after the last colon may name a file.
  const colon = text.lastIndexOf(':');
  if (colon >= 0 && !text.includes('://')) out.push(text.slice(colon + 1));
  return out.filter((t) => t !== '' && !(t.startsWith('-') && !t.includes('=')));
}

/** Whether an argument spells a path outside the working tree: absolute, home-relative or climbing out with `..`. */
function spellsOutside(text: string): boolean {
  return text.startsWith('/') || text.startsWith('~') || text === '..' || text.startsWith('../');
}

function pathContributions(ctx: PolicyContext, kind: 'read' | 'write', w: ShellWord, cwds: string[], mode: PathMode, outsideAsks = false): PolicyDecision[] {
  if (w.alternatives) return w.alternatives.flatMap((a) => pathContributions(ctx, kind, a, cwds, mode, outsideAsks));
  // A whole-word process substitution is a pipe (/dev/fd/N); the commands inside are decided as parts of their own.
  if (w.dynamic && /^[<>]\(.*\)$/s.test(w.text)) return [];
  if (w.dynamic) {
    if (mode === 'secrets') return [];
    return [named('ask', NAMED.shellAnalysis, 'builtin', `${kind} of \`${printable(w.text)}\`: a path only known when it runs`)];
  }
  const out: PolicyDecision[] = [];
  for (const cwd of cwds) {
    const text = concrete(w, cwd);
    if (text === undefined) {
      if (mode !== 'secrets') out.push(named('ask', NAMED.shellAnalysis, 'builtin', `${kind} of \`${printable(w.text)}\`: another user's home directory`));
      continue;
    }
    if (w.glob) {
      out.push(...globContributions(ctx, kind, w, text, cwd, mode));
      continue;
    }
    for (const candidate of candidates(text, mode)) out.push(...candidateContributions(ctx, kind, candidate, cwd, mode, outsideAsks));
  }
  return out;
}

function candidateContributions(
  ctx: PolicyContext,
  kind: 'read' | 'write',
  candidate: string,
  cwd: string,
  mode: PathMode,
  outsideAsks: boolean,
): PolicyDecision[] {
  if (HARMLESS_DEVICES.test(candidate)) return [];
  const found = fileContributions(ctx, kind, candidate, cwd);
  if (mode === 'full') return found;
  if (mode === 'bounds') return found.filter((d) => d.decision === 'deny' || d.source === 'builtin');
  // Secrets mode: an argument that happens to name a denied file. Outside the roots the deny rules still apply to
  // the absolute path (`git diff --no-index /dev/null ~/.aws/credentials`); being outside alone asks when the
  // argument is spelled as a path of a command that may read it, and is not enough otherwise (`echo /etc`).
  const out = found.filter((d) => d.decision === 'deny' && d.rule !== NAMED.outside && d.rule !== NAMED.suspiciousPath);
  if (found.some((d) => d.rule === NAMED.outside)) {
    const r = resolveForPolicy(ctx.roots, candidate, { cwd, caseInsensitive: ctx.caseInsensitive });
    if (r.ok) {
      const absolute = r.absolute.split(path.sep).join('/');
      for (const rule of ctx.rules) {
        if (rule.kind === kind && rule.decision === 'deny' && matchGlob(rule.glob, { relative: absolute.replace(/^\/+/, ''), absolute }, ctx.caseInsensitive)) {
          out.push(fromRule(rule, `${kind} of \`${r.absolute}\``));
        }
      }
      // Only an existing file counts: `sed -e /x/d` names no file, `cat /etc/passwd` does.
      if (outsideAsks && spellsOutside(candidate) && fs.existsSync(r.absolute)) {
        out.push(named('ask', NAMED.outside, 'default', `an argument names \`${r.absolute}\`, outside the workspace roots`));
      }
    }
  }
  return out;
}

/**
 * A glob is decided on what it names: the files it matches now (each checked like a plain path), the literal text
 * when it matches nothing (bash passes it on), and any well-known secret name it could match once such a file exists.
 */
function globContributions(ctx: PolicyContext, kind: 'read' | 'write', w: ShellWord, text: string, cwd: string, mode: PathMode): PolicyDecision[] {
  const expansion = expandGlob(text, cwd);
  if (!expansion.ok) {
    return mode === 'secrets' ? [] : [named('ask', NAMED.shellAnalysis, 'builtin', `${kind} of \`${printable(w.text)}\`: ${expansion.reason}`)];
  }
  const out: PolicyDecision[] = [];
  const names = expansion.matches.length > 0 ? expansion.matches : [text];
  for (const m of names) out.push(...candidateContributions(ctx, kind, m, cwd, mode, false));
  for (const probe of secretProbes(text)) {
    const denied = fileContributions(ctx, kind, probe, cwd).find((d) => d.decision === 'deny' && d.rule !== NAMED.outside);
    if (denied) out.push({ ...denied, reason: `\`${printable(w.text)}\` could name \`${probe}\`: ${denied.reason}` });
  }
  return out;
}

/** `git -C DIR`: the directories DIR names from each working directory. */
function baseDirs(ctx: PolicyContext, w: ShellWord, cwds: string[]): string[] {
  if (w.dynamic || w.glob || w.alternatives) return [];
  const out: string[] = [];
  for (const cwd of cwds) {
    const text = concrete(w, cwd);
    if (text === undefined) continue;
    const r = resolveForPolicy(ctx.roots, text, { cwd, caseInsensitive: ctx.caseInsensitive });
    if (r.ok && !cwds.includes(r.absolute)) out.push(r.absolute);
  }
  return out;
}

/**
 * `cd` changes what later relative paths mean. Subshells make the exact directory uncertain, so later paths are
 * checked against every directory seen (the strictest result wins).
 */
function followCd(ctx: PolicyContext, target: ShellWord | 'home', cwds: string[]): PolicyDecision[] {
  if (target !== 'home' && (target.dynamic || target.glob || target.alternatives)) {
    return [named('ask', NAMED.shellAnalysis, 'builtin', `\`cd ${printable(target.text)}\`: a directory only known when it runs`)];
  }
  const next: string[] = [];
  for (const cwd of [...cwds]) {
    const text = target === 'home' ? os.homedir() : concrete(target, cwd);
    if (text === undefined || text === '-') {
      return [named('ask', NAMED.shellAnalysis, 'builtin', 'the working directory after `cd` is not known')];
    }
    const r = resolveForPolicy(ctx.roots, text, { cwd, caseInsensitive: ctx.caseInsensitive });
    if (r.ok) next.push(r.absolute);
    else if (path.isAbsolute(text)) next.push(text);
  }
  for (const n of next) if (!cwds.includes(n)) cwds.push(n);
  return [];
}

function existsFromAny(ctx: PolicyContext, w: ShellWord, cwds: string[]): boolean {
  if (w.alternatives) return w.alternatives.some((a) => existsFromAny(ctx, a, cwds));
  if (w.dynamic) return false;
  if (w.glob) {
    return cwds.some((cwd) => {
      const text = concrete(w, cwd);
      const expansion = text === undefined ? undefined : expandGlob(text, cwd);
      return expansion?.ok === true && expansion.matches.length > 0;
    });
  }
  return cwds.some((cwd) => {
    const text = concrete(w, cwd);
    if (text === undefined) return false;
    const r = resolveForPolicy(ctx.roots, text, { cwd, caseInsensitive: ctx.caseInsensitive });
    return r.ok && fs.existsSync(r.absolute);
  });
}

/**
 * A directory read or written whole must not hold a denied file. A recursive read that would include one asks (no
 * argument names the secret); a recursive write (removal, chmod) that would touch one is denied like a direct write.
 */
function recursiveContributions(
  ctx: PolicyContext,
  mode: 'read' | 'write' | 'filtered-write',
  w: ShellWord,
  cwds: string[],
  followLinks = false,
): PolicyDecision[] {
  const kind = mode === 'read' ? 'read' : 'write';
  if (w.alternatives) return w.alternatives.flatMap((a) => recursiveContributions(ctx, mode, a, cwds, followLinks));
  if (w.dynamic) return [];
  const out: PolicyDecision[] = [];
  for (const cwd of cwds) {
    const text = concrete(w, cwd);
    if (text === undefined) continue;
    const targets = w.glob ? ((expandGlob(text, cwd) as { ok: boolean; matches?: string[] }).matches ?? []) : [text];
    for (const t of targets) out.push(...recursiveOne(ctx, mode, kind, t, cwd, followLinks));
  }
  return out;
}

function recursiveOne(
  ctx: PolicyContext,
  mode: 'read' | 'write' | 'filtered-write',
  kind: 'read' | 'write',
  text: string,
  cwd: string,
  followLinks: boolean,
): PolicyDecision[] {
  const r = resolveForPolicy(ctx.roots, text, { cwd, caseInsensitive: ctx.caseInsensitive });
  if (!r.ok || r.root === undefined || r.relative === undefined) return []; // denied already as a plain read or write
  let isDir = false;
  try {
    isDir = fs.lstatSync(r.absolute).isDirectory();
  } catch {
    return [];
  }
  if (!isDir) return [];
  const shown = r.relative === '' ? '.' : r.relative;
  const verb = kind === 'read' ? 'reading' : 'writing or removing';
  const scan = scanForDenied(ctx, kind, r.absolute, r.relative, followLinks);
  if (scan.kind === 'match') {
    const decision = mode === 'write' ? scan.decision : 'ask';
    const verdict = scan.decision === 'deny' ? 'denies' : 'protects';
    return [named(decision, scan.rule, 'builtin', `${verb} \`${shown}\` recursively would include \`${scan.relative}\`, which \`${scan.rule}\` ${verdict}`)];
  }
  if (scan.kind === 'too-large') {
    return [named('ask', NAMED.shellAnalysis, 'builtin', `${verb} \`${shown}\` recursively: more than ${MAX_SCANNED_ENTRIES} entries to check for secrets`)];
  }
  return [];
}
