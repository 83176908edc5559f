// The sandbox as data: what a command may write, what it must not see, which hosts it may reach. Derived from the
// effective policy (the same rules the gate decides with) plus the protected paths and secrets every policy has, and
// nothing else; the mechanism (bubblewrap here, Seatbelt on macOS) turns it into mounts or a profile. Pure: no file
// system access, so the approval card, `tiller sandbox check` and the runner all describe the same thing.
import { isAbsolute, resolve } from 'node:path';
import type { EffectivePolicy } from '../policy/effective.js';
import { SECRET_PATTERNS } from '../policy/defaults.js';
import { parseRuleSet, type Rule } from '../policy/rules.js';
import type { SandboxSummary } from '../ports.js';
import { DEFAULT_TOOLCHAIN_PATHS, expandHome, HOME_SECRET_DIRS, SYSTEM_SECRETS, TOOLCHAIN_SECRETS } from './toolchain-paths.js';

/**
 * Inside the workspace, read-only whatever the rules say: they change what git, the editor or Tiller itself do next.
 * Inside `.git` only these: objects, index and refs stay writable so `git add` and `git commit` work.
 */
export const PROTECTED_IN_WORKSPACE: readonly { path: string; dir: boolean }[] = [
  { path: '.git/config', dir: false },
  { path: '.git/hooks', dir: true },
  { path: '.git/info', dir: true },
  { path: '.tiller', dir: true },
  { path: '.vscode', dir: true },
  { path: '.mcp.json', dir: false },
  { path: '.husky', dir: true },
];

/** Read-only outside the workspace: what programs need to run. Anything not listed (other users' files, /work, /mnt, /srv) is absent. */
export const SYSTEM_READ_ONLY: readonly string[] = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt', '/var', '/nix', '/snap'];

export interface SandboxEnvironment {
  home: string;
  /** Extra paths the user allowed (setting, CLI flag or env), `~` allowed; readable and writable. */
  allowPaths?: readonly string[];
  /** Where the executable that runs the network bridge lives, when it is not under a system directory. */
  runtimeDirs?: readonly string[];
  /** Git common directories writable for a worktree task (mount-plan.ts keeps their config, hooks and info read-only). */
  gitDirs?: readonly string[];
  /** Paths outside the workspace exposed read-only (a worktree task's linked build inputs). */
  readPaths?: readonly string[];
}

export interface SandboxProfile {
  /** Real paths of the workspace roots: writable. */
  workspaceRoots: string[];
  home: string;
  /** Absolute paths inside the home directory (or anywhere) exposed read-write: toolchains and the user's list. */
  allowPaths: string[];
  /** A worktree task's repository git directory: writable except `config`, `hooks/`, `info/` and the worktree links. */
  gitDirs: string[];
  /** Absolute paths outside the workspace exposed read-only. */
  readPaths: string[];
  /** Absolute system directories exposed read-only. */
  systemReadOnly: string[];
  /** Workspace-relative paths always read-only (created empty and read-only for the run when absent). */
  protectedPaths: { path: string; dir: boolean }[];
  /** Workspace-relative globs that are read-only: every ask/deny write rule. */
  readOnlyGlobs: string[];
  /** Workspace-relative (or absolute) globs that are hidden: every deny read rule, the default secrets included. */
  hiddenGlobs: string[];
  /** Absolute paths hidden even though a directory above them is exposed. */
  hiddenAbsolute: string[];
  /** Directories whose files' device+inode are collected, so a hard link to one in the workspace is hidden too. */
  secretScanDirs: string[];
  network: {
    /** `allow net(...)` patterns in force (user, and project when consented). */
    allow: string[];
    /** `deny net(...)` and `ask net(...)` patterns: never reachable without a person. */
    deny: string[];
  };
  caseInsensitive: boolean;
}

/**
 * The rules an enforcer outside the engine may trust. Fails closed like the engine: a set with errors loses its
 * allows; unlike the engine, a project set with errors keeps its denies and asks (they only restrict).
 */
export function sandboxRules(policy: EffectivePolicy): Rule[] {
  const user = parseRuleSet(policy.userRules, 'user');
  const project = parseRuleSet(policy.projectRules, 'project');
  const keep = (set: { rules: Rule[]; errors: unknown[] }) => (set.errors.length > 0 ? set.rules.filter((r) => r.decision !== 'allow') : set.rules);
  return [...keep(user), ...keep(project)];
}

function absoluteUnder(p: string, home: string): string {
  const expanded = expandHome(p, home);
  return isAbsolute(expanded) ? resolve(expanded) : resolve(home, expanded);
}

export function buildSandboxProfile(policy: EffectivePolicy, env: SandboxEnvironment): SandboxProfile {
  const rules = sandboxRules(policy);
  const home = resolve(env.home);
  const patterns = (kind: Rule['kind'], decisions: Rule['decision'][]) => [
    ...new Set(rules.filter((r) => r.kind === kind && decisions.includes(r.decision)).map((r) => r.pattern)),
  ];
  const allowPaths = [...new Set([...DEFAULT_TOOLCHAIN_PATHS, ...(env.allowPaths ?? [])].map((p) => absoluteUnder(p, home)))];
  return {
    workspaceRoots: [...policy.workspaceRoots],
    home,
    allowPaths,
    gitDirs: [...new Set((env.gitDirs ?? []).map((p) => resolve(p)))],
    readPaths: [...new Set((env.readPaths ?? []).map((p) => resolve(p)))],
    systemReadOnly: [
      ...new Set([...SYSTEM_READ_ONLY, ...(env.runtimeDirs ?? []).filter((d) => !SYSTEM_READ_ONLY.some((s) => d === s || d.startsWith(`${s}/`)))]),
    ],
    protectedPaths: PROTECTED_IN_WORKSPACE.map((p) => ({ ...p })),
    readOnlyGlobs: patterns('write', ['ask', 'deny']),
    hiddenGlobs: [...new Set([...SECRET_PATTERNS, ...patterns('read', ['deny'])])],
    hiddenAbsolute: [...new Set([...TOOLCHAIN_SECRETS.map((p) => absoluteUnder(p, home)), ...SYSTEM_SECRETS])],
    secretScanDirs: HOME_SECRET_DIRS.map((p) => absoluteUnder(p, home)),
    network: { allow: patterns('net', ['allow']), deny: patterns('net', ['deny', 'ask']) },
    caseInsensitive: policy.caseInsensitive,
  };
}

/** A policy with no written rules: the defaults alone, for a server started without `--policy`. */
export function defaultEffectivePolicy(workspaceRoot: string): EffectivePolicy {
  return { version: 1, workspaceRoots: [workspaceRoot], caseInsensitive: false, userRules: {}, projectRules: {} };
}

/** The few lines an approval card or a CLI prompt shows: what a sandboxed command may touch. */
export type { SandboxSummary } from '../ports.js';

export function summariseProfile(profile: SandboxProfile, mechanism: string): SandboxSummary {
  const tildeOf = (p: string) => (p === profile.home ? '~' : p.startsWith(`${profile.home}/`) ? `~/${p.slice(profile.home.length + 1)}` : p);
  return {
    mechanism,
    writable: [
      ...profile.workspaceRoots,
      ...profile.gitDirs.map((d) => `${tildeOf(d)} (but its config, hooks/, info/)`),
      'a private temp dir (/tmp)',
      ...profile.allowPaths.map(tildeOf),
    ],
    readOnly: [
      ...profile.protectedPaths.map((p) => p.path + (p.dir ? '/' : '')),
      ...profile.readOnlyGlobs,
      ...profile.readPaths.map(tildeOf),
      'system directories',
    ],
    hidden: [...profile.hiddenGlobs, 'the rest of ~', 'everything else outside the workspace'],
    network: profile.network.allow.length === 0 ? 'off' : `only ${profile.network.allow.join(', ')} (through a filtering proxy)`,
  };
}

/** One line per part, for a terminal prompt, the approval card or `tiller sandbox check`. */
export function summaryLines(s: SandboxSummary): string[] {
  const cap = (xs: string[], n: number) => (xs.length > n ? [...xs.slice(0, n), `… ${xs.length - n} more`] : xs).join(', ');
  return [
    `sandbox: ${s.mechanism}`,
    `writable: ${cap(s.writable, 6)}`,
    `read-only: ${cap(s.readOnly, 10)}`,
    `hidden: ${cap(s.hidden, 8)}`,
    `network: ${s.network}`,
  ];
}

export function formatSummary(s: SandboxSummary, indent = '  '): string {
  return summaryLines(s)
    .map((l) => `${indent}${l}`)
    .join('\n');
}
