// Decisions for a shell command line: every simple command in it, every redirection and every path it names. The
// command is allowed only when every contribution allows; anything not understood asks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeCommandLine, type CommandPart } from './shell-commands.js';
import type { ShellWord } from './shell.js';
import { fileContributions, fromRule, isWritten, named, NAMED, printable, type PolicyContext } from './file-decision.js';
import { resolveForPolicy } from './paths.js';
import { MAX_SCANNED_ENTRIES, scanForDenied } from './secret-scan.js';
import { shellRuleMatches } from './rules.js';
import type { PolicyDecision } from './types.js';

const HARMLESS_DEVICES = /^\/dev\/(null|zero|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$/;
// NUL, terminal escapes and other control characters (tab, newline and carriage return aside), invisible and
// bidirectional characters: none belongs in a command, and each can make the text a user approves differ from what runs.
// eslint-disable-next-line no-control-regex
const SUSPICIOUS_COMMAND = /[\0-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF]/;

/** How much of a path's decision counts: all of it, or only what bounds it (denies and builtin protections). */
type PathMode = 'full' | 'bounds' | 'secrets';

export function shellContributions(ctx: PolicyContext, command: string, cwd?: string): PolicyDecision[] {
  if (command.trim() === '') return [named('ask', NAMED.shellAnalysis, 'builtin', 'the command is empty')];
  if (SUSPICIOUS_COMMAND.test(command)) {
    return [named('deny', NAMED.suspiciousCommand, 'builtin', `\`${printable(command)}\` contains control, invisible or bidirectional characters`)];
  }
  const analysis = analyzeCommandLine(command);
  const out: PolicyDecision[] = analysis.uncertain.map((u) =>
    named('ask', NAMED.shellAnalysis, 'builtin', `the command cannot be fully analysed: ${u}`),
  );
  const base = ctx.roots[0] ?? process.cwd();
  const cwds = [cwd === undefined ? base : path.resolve(base, cwd)];
  for (const part of analysis.parts) {
    out.push(...partContributions(ctx, part));
    for (const w of part.reads) out.push(...pathContributions(ctx, 'read', w, cwds, 'full'));
    for (const w of part.writes) out.push(...pathContributions(ctx, 'write', w, cwds, 'bounds'));
    for (const w of part.args) out.push(...pathContributions(ctx, 'read', w, cwds, 'secrets'));
    for (const w of part.recursiveReads) out.push(...recursiveContributions(ctx, 'read', w, cwds, part.followsLinks));
    for (const w of part.recursiveWrites) out.push(...recursiveContributions(ctx, part.filteredWrites ? 'filtered-write' : 'write', w, cwds));
    if (part.searchesCwd && !part.recursiveReads.some((w) => existsFromAny(ctx, w, cwds))) {
      out.push(...recursiveContributions(ctx, 'read', { text: '.', dynamic: false, glob: false, tilde: false, assignment: false }, cwds, part.followsLinks));
    }
    if (part.cd) out.push(...followCd(ctx, part.cd, cwds));
  }
  for (const r of analysis.redirects) out.push(...pathContributions(ctx, r.kind, r.target, cwds, 'full'));
  if (out.length === 0) out.push(named('ask', NAMED.shellAsks, 'default', 'the command runs nothing that could be checked'));
  return out;
}

function partContributions(ctx: PolicyContext, part: CommandPart): PolicyDecision[] {
  const shown = part.words.join(' ');
  const subject = `\`${shown}\``;
  const out: PolicyDecision[] = [];
  for (const rule of ctx.rules) {
    if (rule.kind !== 'shell') continue;
    const hit =
      rule.decision === 'allow'
        ? !part.carrier && shellRuleMatches(rule, part.words)
        : part.forms.some((f) => shellRuleMatches(rule, f, ctx.caseInsensitive)) || shellRuleMatches(rule, part.words, ctx.caseInsensitive);
    if (hit) out.push(fromRule(rule, subject));
  }
  if (!part.carrier && !out.some(isWritten)) {
    out.push(named('ask', NAMED.shellAsks, 'default', `${subject}: shell commands ask unless a rule allows them`));
  }
  return out;
}

function expandTilde(w: ShellWord): string | undefined {
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

function pathContributions(ctx: PolicyContext, kind: 'read' | 'write', w: ShellWord, cwds: string[], mode: PathMode): PolicyDecision[] {
  // A whole-word process substitution is a pipe (/dev/fd/N); the commands inside are decided as parts of their own.
  if (w.dynamic && /^[<>]\(.*\)$/s.test(w.text)) return [];
  if (w.dynamic || w.glob) {
    if (mode === 'secrets') return [];
    const why = w.dynamic ? 'a path only known when it runs' : 'a glob, so the files it names are only known when it runs';
    return [named('ask', NAMED.shellAnalysis, 'builtin', `${kind} of \`${w.text}\`: ${why}`)];
  }
  const text = expandTilde(w);
  if (text === undefined) {
    return mode === 'secrets' ? [] : [named('ask', NAMED.shellAnalysis, 'builtin', `${kind} of \`${w.text}\`: another user's home directory`)];
  }
  const out: PolicyDecision[] = [];
  for (const candidate of candidates(text, mode)) {
    if (HARMLESS_DEVICES.test(candidate)) continue;
    for (const cwd of cwds) {
      const found = fileContributions(ctx, kind, candidate, cwd);
      if (mode === 'full') out.push(...found);
      else if (mode === 'bounds') out.push(...found.filter((d) => d.decision === 'deny' || d.source === 'builtin'));
      // Secrets mode: an argument that happens to name a denied file; being outside the roots is not enough here
      // (`echo /etc` is not a read), a rule must deny it.
      else out.push(...found.filter((d) => d.decision === 'deny' && d.rule !== NAMED.outside && d.rule !== NAMED.suspiciousPath));
    }
  }
  return out;
}

/**
 * `cd` changes what later relative paths mean. Subshells make the exact directory uncertain, so later paths are
 * checked against every directory seen (the strictest result wins).
 */
function followCd(ctx: PolicyContext, target: ShellWord | 'home', cwds: string[]): PolicyDecision[] {
  if (target !== 'home' && (target.dynamic || target.glob)) {
    return [named('ask', NAMED.shellAnalysis, 'builtin', `\`cd ${target.text}\`: a directory only known when it runs`)];
  }
  const text = target === 'home' ? os.homedir() : expandTilde(target);
  if (text === undefined || text === '-') {
    return [named('ask', NAMED.shellAnalysis, 'builtin', 'the working directory after `cd` is not known')];
  }
  const next: string[] = [];
  for (const cwd of cwds) {
    const r = resolveForPolicy(ctx.roots, text, { cwd, caseInsensitive: ctx.caseInsensitive });
    if (r.ok) next.push(r.absolute);
    else if (path.isAbsolute(text)) next.push(text);
  }
  for (const n of next) if (!cwds.includes(n)) cwds.push(n);
  return [];
}

function existsFromAny(ctx: PolicyContext, w: ShellWord, cwds: string[]): boolean {
  const text = expandTilde(w);
  if (w.dynamic || w.glob || text === undefined) return false;
  return cwds.some((cwd) => {
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
  if (w.dynamic || w.glob) return [];
  const text = expandTilde(w);
  if (text === undefined) return [];
  const out: PolicyDecision[] = [];
  for (const cwd of cwds) {
    const r = resolveForPolicy(ctx.roots, text, { cwd, caseInsensitive: ctx.caseInsensitive });
    if (!r.ok || r.root === undefined || r.relative === undefined) continue; // denied already as a plain read or write
    let isDir = false;
    try {
      isDir = fs.lstatSync(r.absolute).isDirectory();
    } catch {
      continue;
    }
    if (!isDir) continue;
    const shown = r.relative === '' ? '.' : r.relative;
    const verb = kind === 'read' ? 'reading' : 'writing or removing';
    const scan = scanForDenied(ctx, kind, r.absolute, r.relative, followLinks);
    if (scan.kind === 'match') {
      const decision = mode === 'write' ? scan.decision : 'ask';
      const verdict = scan.decision === 'deny' ? 'denies' : 'protects';
      out.push(named(decision, scan.rule, 'builtin', `${verb} \`${shown}\` recursively would include \`${scan.relative}\`, which \`${scan.rule}\` ${verdict}`));
    } else if (scan.kind === 'too-large') {
      out.push(named('ask', NAMED.shellAnalysis, 'builtin', `${verb} \`${shown}\` recursively: more than ${MAX_SCANNED_ENTRIES} entries to check for secrets`));
    }
  }
  return out;
}
