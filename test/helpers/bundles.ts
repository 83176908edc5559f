// Builds the Node bundles the way esbuild.mjs does, into a temp dir per test process, so integration tests run from
// a fresh clone without a manual build step and never race another test process writing dist/.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

const ENTRIES: Record<string, string> = {
  cli: 'extension/cli/main.ts',
  'mcp-workspace': 'mcp-servers/workspace/main.ts',
  'mcp-shell': 'mcp-servers/shell/main.ts',
  'context-server': 'extension/context-server/main.ts',
  'index-worker': 'extension/core/context/index/index-worker.ts',
};

let built: Promise<string> | undefined;

/**
 * Returns a directory holding cli.js, mcp-workspace.js, mcp-shell.js, context-server.js, index-worker.js and grammars/
 * (as in dist/). test/run.mjs builds them once per run and passes the folder in TILLER_TEST_BUNDLES, so each test file
 * does not build its own; a file run alone builds them for itself and removes them when it exits.
 */
export function buildBundles(): Promise<string> {
  const shared = process.env.TILLER_TEST_BUNDLES;
  if (shared && existsSync(join(shared, 'mcp-workspace.js'))) return Promise.resolve(shared);
  built ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'tiller-dist-'));
    // Built for a whole run (test/run.mjs sets TILLER_TEST_BUNDLES_BUILD), the run removes it; otherwise this process.
    if (!process.env.TILLER_TEST_BUNDLES_BUILD) process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    await Promise.all(
      Object.entries(ENTRIES).map(([out, entry]) =>
        build({
          entryPoints: [join(repoRoot, entry)],
          outfile: join(outdir, `${out}.js`),
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          mainFields: ['module', 'main'],
          logLevel: 'warning',
          define: { TILLER_VERSION: '"test"' },
        }),
      ),
    );
    copyGrammars(join(outdir, 'grammars'));
    return outdir;
  })();
  return built;
}

/** The index loads tree-sitter's runtime and grammars as .wasm beside the bundle, as esbuild.mjs lays out dist/. */
function copyGrammars(dir: string): void {
  const files: Array<[string, string]> = [
    ['node_modules/web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
    ...['typescript', 'tsx', 'javascript', 'python', 'bash'].map((l): [string, string] => [`node_modules/tree-sitter-wasms/out/tree-sitter-${l}.wasm`, `tree-sitter-${l}.wasm`]),
  ];
  mkdirSync(dir, { recursive: true });
  for (const [from, to] of files) if (existsSync(join(repoRoot, from))) copyFileSync(join(repoRoot, from), join(dir, to));
}
