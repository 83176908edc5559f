// Activation cost of the built extension: `require('dist/extension.js')` + `activate()` in a fresh Node process each
// time (so nothing is warm), with a stub `vscode` module implementing just what activation touches.
//
//   node esbuild.mjs [--production] && npm run bench:activation     (RUNS=50 to change the sample count)
//
// Prints p50/p95/max in ms for require, activate and both, and the bundle size. Target: both under 50 ms at p95.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'extension.js');
const runs = Number(process.env.RUNS ?? 20);
const TARGET_MS = 50;

// Runs inside each child (CommonJS, via `node -e`). It reports one JSON line on stdout.
const child = String.raw`
const Module = require('node:module');
const path = require('node:path');
const disposable = () => ({ dispose() {} });
const event = () => disposable;
const uri = (p) => ({ fsPath: p, path: p, scheme: 'file', toString: () => 'file://' + p, with: () => uri(p) });
const touched = new Set();
const track = (name, value) => { touched.add(name); return value; };
const vscode = {
  Uri: { file: uri, joinPath: (u, ...parts) => uri(path.join(u.fsPath, ...parts)) },
  window: {
    registerWebviewViewProvider: () => track('window.registerWebviewViewProvider', disposable()),
    createOutputChannel: () => track('window.createOutputChannel', { info() {}, warn() {}, error() {}, dispose() {} }),
    showInformationMessage: async () => undefined,
    createTreeView: () => track('window.createTreeView', disposable()),
  },
  EventEmitter: class { constructor() { this.event = event(); } fire() {} dispose() {} },
  commands: {
    registerCommand: () => track('commands.registerCommand', disposable()),
    executeCommand: async () => undefined,
  },
  workspace: {
    isTrusted: true,
    workspaceFolders: [],
    onDidChangeConfiguration: (...a) => track('workspace.onDidChangeConfiguration', event()(...a)),
    onDidGrantWorkspaceTrust: (...a) => track('workspace.onDidGrantWorkspaceTrust', event()(...a)),
    getConfiguration: () => track('workspace.getConfiguration', { get: () => undefined, inspect: () => undefined }),
    createFileSystemWatcher: () => track('workspace.createFileSystemWatcher', { onDidChange: event(), onDidCreate: event(), onDidDelete: event(), dispose() {} }),
  },
  ConfigurationTarget: { Global: 1 },
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const extRoot = process.argv[1];
const context = {
  subscriptions: [],
  extensionUri: uri(extRoot),
  extensionPath: extRoot,
  asAbsolutePath: (p) => path.join(extRoot, p),
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event() },
  globalState: { get: () => undefined, update: async () => {} },
  extension: { id: 'tiller.tiller' },
};
const t0 = performance.now();
const ext = require(path.join(extRoot, 'dist', 'extension.js'));
const t1 = performance.now();
ext.activate(context);
const t2 = performance.now();
const modules = Object.keys(require.cache).filter((k) => k !== 'vscode');
process.stdout.write(JSON.stringify({ require: t1 - t0, activate: t2 - t1, subscriptions: context.subscriptions.length, modules, touched: [...touched] }));
`;

/** @param {number[]} values @param {number} p */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run \`node esbuild.mjs --production\` first.`);
  process.exit(1);
}

// A private copy, so that a rebuild running meanwhile (a shared checkout, `npm run watch`) cannot hand a child a
// half-written file. Activation loads only extension.js; the deferred bundles are not touched (the stub proves it:
// the child lists every file required).
const copy = mkdtempSync(join(tmpdir(), 'tiller-activation-'));
mkdirSync(join(copy, 'dist'));
copyFileSync(bundle, join(copy, 'dist', 'extension.js'));
process.on('exit', () => rmSync(copy, { recursive: true, force: true }));

const samples = [];
let last;
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ['-e', child, copy], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`run ${i + 1} failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(1);
  }
  last = JSON.parse(r.stdout);
  samples.push(last);
}

const fmt = (/** @type {number | undefined} */ n) => (n ?? NaN) .toFixed(1).padStart(6);
const row = (/** @type {string} */ name, /** @type {number[]} */ values) => console.log(`${name.padEnd(18)} p50 ${fmt(percentile(values, 50))} ms   p95 ${fmt(percentile(values, 95))} ms   max ${fmt(Math.max(...values))} ms`);
const size = statSync(bundle).size;
// Development builds end with a source-map comment; production builds have none.
const minified = !readFileSync(bundle, 'utf8').includes('//# sourceMappingURL=');
console.log(`activation of dist/extension.js, ${runs} fresh processes (Node ${process.version})`);
console.log(`bundle: ${(size / 1024).toFixed(0)} KiB${minified ? ' (production build)' : ' (development build: run `node esbuild.mjs --production` for shipping figures)'}`);
row('require', samples.map((s) => s.require));
row('activate()', samples.map((s) => s.activate));
const total = samples.map((s) => s.require + s.activate);
row('require+activate', total);
console.log(`activate registered ${last.subscriptions} disposables; vscode API touched: ${last.touched.join(', ')}`);
console.log(`files loaded by require: ${last.modules.length} (${last.modules.map((/** @type {string} */ m) => m.replace(copy + '/', '')).join(', ')})`);
const p95 = percentile(total, 95) ?? NaN;
console.log(p95 < TARGET_MS ? `OK: p95 ${p95.toFixed(1)} ms < ${TARGET_MS} ms target` : `OVER TARGET: p95 ${p95.toFixed(1)} ms >= ${TARGET_MS} ms`);
