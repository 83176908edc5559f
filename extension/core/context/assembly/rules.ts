// Project rules for the prompt: AGENTS.md at the workspace root and in the folders of the files the task touches
// (nearest last, so the most specific rule is read last), and `.tiller/rules/*.md`, each with an optional
// front-matter `globs:` limiting it to tasks that touch matching files. Read fresh each time: after compaction the
// rules are re-read so an edit to them during the task is seen.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative } from 'node:path';
import { minimatch } from 'minimatch';

export interface RuleFile {
  /** Workspace-relative path of the rule file. */
  path: string;
  text: string;
  reason: string;
}

export interface LoadedRules {
  rules: RuleFile[];
  /** Rule files that could not be used, with why (for the user, not the model). */
  problems: string[];
}

/** A rule file larger than this is cut, with a note: rules are read on every task. */
const MAX_RULE_BYTES = 32 * 1024;
const MAX_RULE_FILES = 50;

export function loadRules(root: string, touchedPaths: readonly string[]): LoadedRules {
  const rules: RuleFile[] = [];
  const problems: string[] = [];
  for (const dir of agentsDirs(touchedPaths)) {
    const rel = dir === '.' ? 'AGENTS.md' : `${dir}/AGENTS.md`;
    const text = readRule(root, rel, problems);
    if (text === undefined) continue;
    rules.push({ path: rel, text, reason: dir === '.' ? 'project rules (AGENTS.md at the root)' : `rules for ${dir}/ (a touched file is under it)` });
  }
  let names: string[] = [];
  try {
    names = readdirSync(join(root, '.tiller', 'rules'))
      .filter((n) => n.endsWith('.md'))
      .sort();
  } catch {
    names = [];
  }
  for (const name of names.slice(0, MAX_RULE_FILES)) {
    const rel = `.tiller/rules/${name}`;
    const raw = readRule(root, rel, problems);
    if (raw === undefined) continue;
    const parsed = parseFrontMatter(raw);
    if ('error' in parsed) {
      problems.push(`${rel}: ${parsed.error}; the rule is not used`);
      continue;
    }
    if (parsed.globs.length === 0) {
      rules.push({ path: rel, text: parsed.body, reason: 'project rule (applies to every task)' });
      continue;
    }
    const hit = touchedPaths.find((p) => parsed.globs.some((g) => minimatch(p, g, { dot: true })));
    if (hit) rules.push({ path: rel, text: parsed.body, reason: `project rule for ${parsed.globs.join(', ')} (matches ${hit})` });
  }
  return { rules, problems };
}

/** The root, then every folder between it and each touched path, each once, shallow first. */
function agentsDirs(touchedPaths: readonly string[]): string[] {
  const dirs = new Set<string>(['.']);
  for (const p of touchedPaths) {
    const clean = posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
    if (clean.startsWith('..') || clean.startsWith('/')) continue;
    const parts = clean.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a.split('/').length - b.split('/').length || a.localeCompare(b)));
}

function readRule(root: string, rel: string, problems: string[]): string | undefined {
  const abs = join(root, rel);
  try {
    // A rule file is sent to the model provider: one that links out of the workspace (to a key, say) is refused.
    const real = realpathSync(abs);
    const inside = relative(realpathSync(root), real);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      problems.push(`${rel}: links outside the workspace; the rule is not used`);
      return undefined;
    }
    const info = statSync(real);
    if (!info.isFile()) return undefined;
    const bytes = readFileSync(real);
    if (bytes.includes(0)) {
      problems.push(`${rel}: binary content; the rule is not used`);
      return undefined;
    }
    const text = bytes.subarray(0, MAX_RULE_BYTES).toString('utf8');
    return bytes.length > MAX_RULE_BYTES ? `${text}\n[rule file cut at ${MAX_RULE_BYTES} bytes]` : text;
  } catch {
    return undefined;
  }
}

/** Front matter: `---` first line, `globs:` as a comma list, a JSON-style list or a YAML `- item` list. */
export function parseFrontMatter(text: string): { globs: string[]; body: string } | { error: string } {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n')) return { globs: [], body: normalized };
  const end = normalized.indexOf('\n---', 4);
  if (end < 0) return { error: 'front matter starts with --- but never ends' };
  const head = normalized.slice(4, end).split('\n');
  const body = normalized.slice(end + 4).replace(/^[^\n]*\n/, '');
  const globs: string[] = [];
  for (let i = 0; i < head.length; i++) {
    const line = head[i]!;
    const m = /^globs:\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[1]!.trim();
    if (value.startsWith('[')) {
      if (!value.endsWith(']')) return { error: 'globs: list is not closed with ]' };
      globs.push(...splitList(value.slice(1, -1)));
    } else if (value) {
      globs.push(...splitList(value));
    } else {
      while (i + 1 < head.length && /^\s*-\s+/.test(head[i + 1]!)) globs.push(unquote(head[++i]!.replace(/^\s*-\s+/, '')));
    }
  }
  const bad = globs.find((g) => !g || g.startsWith('/') || g.split('/').includes('..'));
  if (bad !== undefined) return { error: `glob ${JSON.stringify(bad)} must be a non-empty workspace-relative pattern` };
  return { globs, body };
}

function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => unquote(x.trim()))
    .filter(Boolean);
}

function unquote(s: string): string {
  return s.trim().replace(/^(['"])(.*)\1$/, '$2');
}
