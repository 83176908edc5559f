// Loads web-tree-sitter and the grammar .wasm files once per process. A grammar that fails to load is remembered
// with its error so the index degrades to lexical ranking for that language and says why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'web-tree-sitter';
import { TAG_PATTERNS, type LanguageId } from './tag-queries.js';

export interface LoadedGrammar {
  language: Parser.Language;
  defs: Parser.Query | undefined;
}

export interface GrammarSet {
  parser: Parser | undefined;
  grammars: Map<LanguageId, LoadedGrammar>;
  warnings: string[];
}

const cache = new Map<string, Promise<GrammarSet>>();

/** Where the grammars are: beside the bundle (dist/grammars), else the npm packages (tests and benchmarks run from source). */
export function defaultGrammarsDir(): string {
  const beside = join(__dirname, 'grammars');
  if (existsSync(join(beside, 'tree-sitter.wasm'))) return beside;
  try {
    return join(require.resolve('tree-sitter-wasms/package.json'), '..', 'out');
  } catch {
    return beside;
  }
}

function runtimeWasm(dir: string): string {
  const local = join(dir, 'tree-sitter.wasm');
  if (existsSync(local)) return local;
  try {
    return join(require.resolve('web-tree-sitter/package.json'), '..', 'tree-sitter.wasm');
  } catch {
    return local;
  }
}

let runtime: Promise<void> | undefined;

export function loadGrammars(dir: string): Promise<GrammarSet> {
  let pending = cache.get(dir);
  if (!pending) {
    pending = load(dir);
    cache.set(dir, pending);
  }
  return pending;
}

async function load(dir: string): Promise<GrammarSet> {
  const warnings: string[] = [];
  const grammars = new Map<LanguageId, LoadedGrammar>();
  try {
    const wasm = runtimeWasm(dir);
    runtime ??= Parser.init({ locateFile: () => wasm });
    await runtime;
  } catch (err) {
    runtime = undefined;
    return { parser: undefined, grammars, warnings: [`tree-sitter runtime failed to load (${message(err)}): ranking is lexical only`] };
  }
  for (const id of Object.keys(TAG_PATTERNS) as LanguageId[]) {
    const file = join(dir, `tree-sitter-${id}.wasm`);
    try {
      if (!existsSync(file)) throw new Error(`${file} not found`);
      const language = await Parser.Language.load(file);
      // Patterns are checked one by one, then run as one query (one tree traversal per file).
      const compile = (patterns: string[]): Parser.Query | undefined => {
        const valid: string[] = [];
        for (const p of patterns) {
          try {
            language.query(p).delete();
            valid.push(p);
          } catch {
            // A pattern naming a node this grammar version lacks: that pattern only is lost.
          }
        }
        return valid.length ? language.query(valid.join('\n')) : undefined;
      };
      grammars.set(id, { language, defs: compile(TAG_PATTERNS[id].defs) });
    } catch (err) {
      warnings.push(`grammar ${id} failed to load (${message(err)}): ${id} files are ranked lexically only`);
    }
  }
  return { parser: grammars.size ? new Parser() : undefined, grammars, warnings };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
