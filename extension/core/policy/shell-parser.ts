// The tree-sitter-bash parser behind every shell decision, loaded once per process.
//
// How the engine gets it: web-tree-sitter only loads asynchronously (it compiles WebAssembly), while the engine's
// `decide` is synchronous. So this module holds one process-wide parser that every entry point initialises with
// `await initShellParser()` before it decides anything (the harness, `tiller check`, the bench, the tests); the engine
// is still created synchronously and is handed nothing. Until the parser is ready — or if it failed to load — every
// shell command asks, with the reason, and nothing is allowed on a guess (fail closed).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'web-tree-sitter';
import { renameImports } from './wasm-imports.js';

let parser: Parser | undefined;
let loadError: string | undefined;
let pending: Promise<void> | undefined;

/** Where the grammar is: beside the bundle (dist/grammars, copied by esbuild.mjs), else the npm packages (source runs). */
function locate(file: string, pkg: string, inPkg: string): string {
  const beside = join(__dirname, 'grammars', file);
  if (existsSync(beside)) return beside;
  try {
    return join(require.resolve(`${pkg}/package.json`), '..', inPkg);
  } catch {
    return beside;
  }
}

async function load(): Promise<void> {
  const runtime = locate('tree-sitter.wasm', 'web-tree-sitter', 'tree-sitter.wasm');
  const grammar = locate('tree-sitter-bash.wasm', 'tree-sitter-wasms', join('out', 'tree-sitter-bash.wasm'));
  try {
    // Parser.init is idempotent within web-tree-sitter: the workspace index's call and this one share one runtime.
    await Parser.init({ locateFile: () => runtime });
    // The shipped grammar imports `isalpha`, which this runtime lacks (see wasm-imports.ts).
    const language = await Parser.Language.load(renameImports(readFileSync(grammar), { isalpha: 'iswalpha' }));
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
    loadError = undefined;
  } catch (e) {
    loadError = `the shell grammar failed to load from ${grammar} (${(e as Error).message})`;
  }
}

/** Loads the parser once; safe to call from every entry point. Never rejects: a failure is kept for `shellParserState`. */
export function initShellParser(): Promise<void> {
  pending ??= load();
  return pending;
}

export type ShellParserState = { ready: true; parser: Parser } | { ready: false; reason: string };

export function shellParserState(): ShellParserState {
  if (parser) return { ready: true, parser };
  return { ready: false, reason: loadError ?? 'the shell parser is not loaded yet (initShellParser was not awaited)' };
}

/**
 * After the parser threw (a grammar bug on some input), its state cannot be trusted: drop it and build a fresh one
 * from the same language, so one hostile line cannot break the decisions that follow.
 */
export function resetShellParser(): void {
  if (!parser) return;
  const language = parser.getLanguage();
  try {
    parser.delete();
  } catch {
    // Already unusable.
  }
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}
