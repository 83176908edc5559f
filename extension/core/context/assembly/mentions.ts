// @-mentions in the task text: `@src/a.ts`, `@src/`, `@symbol:Name`, `@problems`, `@diff`, `@terminal`,
// `@mcp:server:uri`. An `@` only starts a mention at the start of the text or after whitespace, so e-mail addresses
// and decorators inside code (`x@y`) are left alone.
import type { MentionContent, MentionSources } from '../ports.js';
import { estimateTokens } from '../../model/tokens.js';

export type Mention =
  | { kind: 'file'; path: string }
  | { kind: 'folder'; path: string }
  | { kind: 'symbol'; name: string }
  | { kind: 'problems' }
  | { kind: 'diff' }
  | { kind: 'terminal' }
  | { kind: 'mcp'; server: string; uri: string };

const MENTION = /(?:^|(?<=\s))@([^\s]+)/g;
/** Punctuation that ends a sentence rather than a path. */
const TRAILING = /[,;:!?)'"\]]+$|\.+$/;
const MAX_MENTIONS = 20;

export function parseMentions(text: string): Mention[] {
  const out: Mention[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const raw = match[1]!.replace(TRAILING, '');
    const mention = classify(raw);
    if (!mention) continue;
    const key = JSON.stringify(mention);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mention);
    if (out.length >= MAX_MENTIONS) break;
  }
  return out;
}

function classify(raw: string): Mention | undefined {
  if (!raw) return undefined;
  if (raw === 'problems') return { kind: 'problems' };
  if (raw === 'diff') return { kind: 'diff' };
  if (raw === 'terminal') return { kind: 'terminal' };
  if (raw.startsWith('symbol:')) {
    const name = raw.slice('symbol:'.length);
    return /^[\w$.#:]+$/.test(name) ? { kind: 'symbol', name } : undefined;
  }
  if (raw.startsWith('mcp:')) {
    const rest = raw.slice('mcp:'.length);
    const colon = rest.indexOf(':');
    if (colon <= 0 || colon === rest.length - 1) return undefined;
    return { kind: 'mcp', server: rest.slice(0, colon), uri: rest.slice(colon + 1) };
  }
  // A bare word (`@alice`) is a person, not a path: a path has a slash or an extension.
  if (raw.endsWith('/')) return { kind: 'folder', path: raw.replace(/\/+$/, '') || '.' };
  if (raw.includes('/') || /\.[A-Za-z0-9]+$/.test(raw)) return { kind: 'file', path: raw };
  return undefined;
}

export function mentionLabel(m: Mention): string {
  switch (m.kind) {
    case 'file':
      return `@${m.path}`;
    case 'folder':
      return `@${m.path}/`;
    case 'symbol':
      return `@symbol:${m.name}`;
    case 'mcp':
      return `@mcp:${m.server}:${m.uri}`;
    default:
      return `@${m.kind}`;
  }
}

export interface ResolvedMention {
  mention: Mention;
  label: string;
  /** Undefined when it could not be resolved; `error` then says why. */
  content?: MentionContent & { tokens: number };
  error?: string;
}

export async function resolveMentions(mentions: Mention[], sources: MentionSources): Promise<ResolvedMention[]> {
  return Promise.all(
    mentions.map(async (mention): Promise<ResolvedMention> => {
      const label = mentionLabel(mention);
      try {
        const result = await fetchMention(mention, sources);
        if (typeof result === 'string') return { mention, label, error: result };
        return { mention, label, content: { ...result, tokens: result.tokens ?? estimateTokens(result.text) } };
      } catch (err) {
        return { mention, label, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

function fetchMention(m: Mention, s: MentionSources) {
  switch (m.kind) {
    case 'file':
      return s.file(m.path);
    case 'folder':
      return s.folder(m.path);
    case 'symbol':
      return s.symbol(m.name);
    case 'problems':
      return s.problems();
    case 'diff':
      return s.gitDiff();
    case 'terminal':
      return s.terminal();
    case 'mcp':
      return s.mcpResource(m.server, m.uri);
  }
}

/** Workspace paths a set of mentions touches, for rules with globs and nested AGENTS.md files. */
export function mentionedPaths(mentions: Mention[]): string[] {
  return mentions.flatMap((m) => (m.kind === 'file' || m.kind === 'folder' ? [m.path] : []));
}
