// One build script for every entry point. `--watch` rebuilds on change, `--production` minifies and drops
// source maps. Type checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node-side bundles: [entry, outfile, external]. `vscode` is provided by the host at run time. */
const nodeEntries = [
  { in: 'extension/vscode/extension.ts', out: 'extension', external: ['vscode'] },
  // Loaded by extension.ts on first use (extension/vscode/deferred.ts), so activation parses only the small bundle.
  { in: 'extension/vscode/view-services.ts', out: 'extension-view', external: ['vscode'] },
  { in: 'extension/vscode/task-services.ts', out: 'extension-tasks', external: ['vscode'] },
  // The in-extension-host test suite; loaded only when TILLER_VSCODE_TESTS is set. Never built for production, so the
  // .vsix (packaged from a clean production build) cannot carry it.
  { in: 'test/vscode/suite.ts', out: 'vscode-tests', external: ['vscode'], testOnly: true },
  { in: 'extension/cli/main.ts', out: 'cli' },
  { in: 'mcp-servers/workspace/main.ts', out: 'mcp-workspace' },
  { in: 'mcp-servers/shell/main.ts', out: 'mcp-shell' },
  { in: 'extension/context-server/main.ts', out: 'context-server' },
  // Started by the workspace index (context server and CLI) as a worker thread for cold builds; found beside them.
  { in: 'extension/core/context/index/index-worker.ts', out: 'index-worker' },
].filter((e) => existsSync(e.in) && !(production && e.testOnly));

const webviewEntries = [{ in: 'webview/main.ts', out: 'webview' }].filter((e) => existsSync(e.in));

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  define: { TILLER_VERSION: JSON.stringify(version) },
};

const contexts = [];
for (const e of nodeEntries) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: [e.in],
      outfile: `dist/${e.out}.js`,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: e.external ?? [],
      // Some dependencies probe for optional modules; keep them out of the bundle rather than failing.
      mainFields: ['module', 'main'],
    }),
  );
}
for (const e of webviewEntries) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: [e.in],
      outfile: `dist/${e.out}.js`,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
    }),
  );
}

// The workspace index parses with web-tree-sitter, which loads its runtime and each grammar as .wasm at run time;
// they cannot be bundled, so they are copied beside the bundle (dist/grammars/), where the index looks by default.
// The permission engine parses shell commands with the bash grammar from the same place (core/policy/shell-parser.ts).
const grammarFiles = [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
  ...['typescript', 'tsx', 'javascript', 'python', 'bash'].map((l) => [`node_modules/tree-sitter-wasms/out/tree-sitter-${l}.wasm`, `tree-sitter-${l}.wasm`]),
].filter(([from]) => from !== undefined && existsSync(from));
if (grammarFiles.length) {
  mkdirSync('dist/grammars', { recursive: true });
  for (const [from, to] of /** @type {[string, string][]} */ (grammarFiles)) copyFileSync(from, `dist/grammars/${to}`);
}

// The chat view's icons: VS Code's codicon font and its stylesheet (~160 KB), loaded by the webview from dist/codicons/.
const codiconFiles = ['codicon.css', 'codicon.ttf']
  .map((f) => /** @type {[string, string]} */ ([`node_modules/@vscode/codicons/dist/${f}`, f]))
  .filter(([from]) => existsSync(from));
if (codiconFiles.length) {
  mkdirSync('dist/codicons', { recursive: true });
  for (const [from, to] of codiconFiles) copyFileSync(from, `dist/codicons/${to}`);
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`[esbuild] watching ${contexts.length} entry points`);
} else {
  const started = Date.now();
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`[esbuild] built ${contexts.length} entry points in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
