// A tiny in-memory WorkspaceIndexApi for the server's tests: it reads the workspace's files, ranks by how often the
// query's words occur in a file's path and content, and finds `function NAME` / `class NAME` definitions. Enough to
// tell whether the server fed it the right content, not a model of the real ranking.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexOptions, RankQuery, RankedFile, RepoMapSlice, SymbolInfo, WorkspaceIndexApi } from '../../../extension/core/context/index/types.js';

export class FakeIndex implements WorkspaceIndexApi {
  readonly files = new Map<string, string>();
  readonly updates: Array<{ path: string; content: string | null }> = [];
  readonly queries: RankQuery[] = [];

  rank(query: RankQuery): RankedFile[] {
    this.queries.push(query);
    const words = query.text.toLowerCase().split(/\W+/).filter(Boolean);
    const scored = [...this.files].map(([path, content]) => {
      const haystack = `${path}\n${content}`.toLowerCase();
      const score = words.reduce((sum, w) => sum + haystack.split(w).length - 1, 0);
      return { path, score, reasons: [`${score} word matches`], symbols: [] };
    });
    return scored.filter((f) => f.score > 0).sort((a, b) => b.score - a.score || a.path.localeCompare(b.path)).slice(0, query.top ?? 10);
  }

  repoMap(query: RankQuery, budgetTokens: number): RepoMapSlice {
    const files = this.rank(query).map((f) => ({ path: f.path, tokens: 5, reasons: f.reasons }));
    const kept = files.slice(0, Math.max(0, Math.floor(budgetTokens / 5)));
    return { text: kept.map((f) => f.path).join('\n'), tokens: kept.length * 5, files: kept };
  }

  lookupSymbol(name: string, limit = 10): SymbolInfo[] {
    const out: SymbolInfo[] = [];
    for (const [path, content] of this.files) {
      content.split('\n').forEach((text, i) => {
        const m = /\b(function|class)\s+(\w+)/.exec(text);
        if (m && m[2] === name) out.push({ name, kind: m[1] === 'class' ? 'class' : 'function', path, line: i + 1, endLine: i + 1 });
      });
    }
    return out.slice(0, limit);
  }

  update(path: string, content: string | null): void {
    this.updates.push({ path, content });
    if (content === null) this.files.delete(path);
    else this.files.set(path, content);
  }

  stats() {
    return { files: this.files.size, skipped: [], symbols: 0, edges: 0, approxBytes: 0, grammarWarnings: [] };
  }
}

/** A builder for the server; `gate` holds the build until it resolves (to test requests made while building). */
export function fakeBuilder(gate?: Promise<void>): { build: (o: IndexOptions) => Promise<FakeIndex>; built: Promise<FakeIndex>; options: Promise<IndexOptions> } {
  let resolveBuilt!: (index: FakeIndex) => void;
  let resolveOptions!: (o: IndexOptions) => void;
  const built = new Promise<FakeIndex>((r) => (resolveBuilt = r));
  const options = new Promise<IndexOptions>((r) => (resolveOptions = r));
  return {
    built,
    options,
    build: async (o) => {
      resolveOptions(o);
      const index = new FakeIndex();
      const walk = (dir: string, prefix: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
          if (entry.isDirectory()) walk(join(dir, entry.name), rel);
          else index.files.set(rel, readFileSync(join(dir, entry.name), 'utf8'));
        }
      };
      walk(o.root, '');
      o.onProgress?.({ files: index.files.size, phase: 'read' });
      if (gate) await gate;
      resolveBuilt(index);
      return index;
    },
  };
}
