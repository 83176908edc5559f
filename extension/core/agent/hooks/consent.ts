// Project hooks run code the repository wrote, so they start only after the user agreed to their exact content, in
// the one consent store (kind `hooks`, one grant per settings file). What is pinned is every hook of the file (event,
// matcher, command, timeout) and the bytes of every workspace file a command names (`.claude/hooks/check.sh`,
// `"$CLAUDE_PROJECT_DIR"/scripts/x.py`): editing a hook or the script it runs asks again. A script reached only
// indirectly (sourced by another, chosen at run time) is not pinned; SECURITY.md says so.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { AskConsent, ConsentRequest, ConsentStore, ConsentSubject } from '../../storage/consent-store.js';
import type { HookCommand } from './config.js';

const MAX_PINNED_BYTES = 4 * 1024 * 1024;

export interface PinnedScript {
  path: string;
  sha256: string;
}

/** Workspace files a command names, by any word that resolves to a regular file inside the workspace. */
export function scriptsNamedBy(command: string, workspaceRoot: string): PinnedScript[] {
  const out: PinnedScript[] = [];
  const words = command
    .replace(/\$\{?(CLAUDE_PROJECT_DIR|TILLER_PROJECT_DIR)\}?/g, workspaceRoot)
    .split(/[\s;&|()<>]+/)
    .map((w) => w.replace(/^["']+|["']+$/g, '').replace(/["']/g, ''))
    .filter((w) => w !== '' && !w.startsWith('-'));
  for (const word of words) {
    const candidate = isAbsolute(word) ? word : join(workspaceRoot, word);
    let real: string;
    try {
      real = realpathSync(candidate);
      const info = statSync(real);
      if (!info.isFile() || info.size > MAX_PINNED_BYTES) continue;
    } catch {
      continue;
    }
    const rel = relative(workspaceRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    const path = rel.split(sep).join('/');
    if (out.some((s) => s.path === path)) continue;
    out.push({ path, sha256: createHash('sha256').update(readFileSync(real)).digest('hex') });
  }
  return out;
}

export interface HookFileContent {
  /** The settings file, workspace-relative: the consent-store name. */
  file: string;
  hooks: HookCommand[];
  scripts: PinnedScript[];
  hash: string;
  /** What the user is shown, one item a line. */
  shown: string[];
}

/** What consent to one file's hooks covers, and its hash. */
export function hookFileContent(file: string, hooks: HookCommand[], workspaceRoot: string): HookFileContent {
  const scripts: PinnedScript[] = [];
  for (const h of hooks) for (const s of scriptsNamedBy(h.command, workspaceRoot)) if (!scripts.some((x) => x.path === s.path)) scripts.push(s);
  const canonical = JSON.stringify({ hooks: hooks.map((h) => [h.event, h.matcher, h.command, h.timeoutSec]), scripts: scripts.map((s) => [s.path, s.sha256]) });
  const hash = createHash('sha256').update(canonical).digest('hex');
  const shown = [
    ...hooks.map((h) => `${h.event}${h.matcher ? ` [${visible(h.matcher)}]` : ''}: ${visible(h.command)} (timeout ${h.timeoutSec}s)`),
    ...scripts.map((s) => `runs ${visible(s.path)} (sha256 ${s.sha256.slice(0, 16)}…)`),
  ];
  return { file, hooks, scripts, hash, shown };
}

function subjectOf(workspace: string, content: HookFileContent): ConsentSubject {
  return { workspace, kind: 'hooks', name: content.file, hash: content.hash };
}

export function hooksConsentRequest(workspace: string, content: HookFileContent): ConsentRequest {
  return {
    kind: 'hooks',
    name: content.file,
    origin: content.file,
    workspace,
    wants: 'run these hook commands (inside the sandbox) when the agent works',
    shown: content.shown,
    question: 'Run them?',
    agree: 'Run hooks',
  };
}

export interface HooksConsentOptions {
  store: ConsentStore;
  ask?: AskConsent;
  /** Store a yes (default); false agrees for this session only (the CLI's --trust-workspace-config). */
  remember?: boolean;
}

/** Whether this file's hooks may run: a stored grant to this exact content, or a yes now. */
export async function projectHooksConsented(workspace: string, content: HookFileContent, options: HooksConsentOptions): Promise<boolean> {
  if (content.hooks.length === 0) return true;
  const subject = subjectOf(workspace, content);
  if (options.store.has(subject)) return true;
  if (!options.ask) return false;
  const request = hooksConsentRequest(workspace, content);
  if (!(await options.ask(request))) return false;
  if (options.remember !== false) options.store.grant(subject, request.shown.join('\n'));
  return true;
}

function visible(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be shown
    /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}
