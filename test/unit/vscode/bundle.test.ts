// The built extension, loaded the way VS Code loads it: activation must register everything while loading only
// dist/extension.js, and opening the view must find the deferred view bundle next to it (deferred.ts), validate
// what the webview sends and answer `ready` with the state. Builds the two bundles into a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { commandTable } from '../../../extension/vscode/commands.js';

const root = join(__dirname, '..', '..', '..');

// Runs in a fresh Node process with a stub `vscode`; prints one JSON report.
const child = String.raw`
const Module = require('node:module');
const path = require('node:path');
const disposable = () => ({ dispose() {} });
const uri = (p) => ({ fsPath: p, path: p, scheme: 'file', toString: () => 'file://' + p });
const report = { commands: [], views: [], posted: [], errors: [], loadedAfterActivate: [], loadedAfterView: [] };
const settings = { baseUrl: 'http://127.0.0.1:9/v1', model: 'test-model' };
const vscode = {
  Uri: { file: uri, joinPath: (u, ...parts) => uri(path.join(u.fsPath, ...parts)) },
  window: {
    registerWebviewViewProvider: (id, provider) => { report.views.push(id); global.provider = provider; return disposable(); },
    createOutputChannel: () => ({ info() {}, warn() {}, error: (m) => report.errors.push(m), dispose() {} }),
    createTreeView: (id) => { report.views.push(id); return disposable(); },
  },
  EventEmitter: class { constructor() { this.event = () => disposable(); } fire() {} dispose() {} },
  commands: { registerCommand: (id) => { report.commands.push(id); return disposable(); }, executeCommand: async () => undefined },
  workspace: {
    isTrusted: true, workspaceFolders: [],
    onDidChangeConfiguration: () => disposable(), onDidGrantWorkspaceTrust: () => disposable(),
    createFileSystemWatcher: () => ({ onDidChange: () => disposable(), onDidCreate: () => disposable(), onDidDelete: () => disposable(), dispose() {} }),
    getConfiguration: () => ({ get: (k) => settings[k], inspect: (k) => ({ globalValue: settings[k] }) }),
  },
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const dist = process.argv[2];
const loaded = () => Object.keys(require.cache).filter((k) => k !== 'vscode').map((k) => path.basename(k));
const context = {
  subscriptions: [], extensionUri: uri(path.dirname(dist)), asAbsolutePath: (p) => path.join(path.dirname(dist), p),
  secrets: { get: async () => undefined, onDidChange: () => disposable() }, extension: { id: 'tiller.tiller' },
  workspaceState: { get: () => undefined, update: async () => undefined },
};
require(path.join(dist, 'extension.js')).activate(context);
report.loadedAfterActivate = loaded();
let receive;
const view = {
  webview: {
    options: {}, cspSource: 'vscode-resource:', html: '', asWebviewUri: (u) => u,
    onDidReceiveMessage: (f) => { receive = f; return disposable(); },
    postMessage: async (m) => { report.posted.push(m); if (m.type === 'state') done(); return true; },
  },
  onDidDispose: () => disposable(),
};
global.provider.resolveWebviewView(view);
report.roots = view.webview.options.localResourceRoots.map((u) => path.basename(u.fsPath));
report.htmlHasCsp = view.webview.html.includes("default-src 'none'");
receive({ type: 'runTask', requestId: 'r1', task: 'x', mode: 'yolo' });
receive({ type: 'ready' });
function done() {
  report.loadedAfterView = loaded();
  process.stdout.write(JSON.stringify(report));
  process.exit(0);
}
setTimeout(() => { process.stdout.write(JSON.stringify({ ...report, timeout: true })); process.exit(1); }, 10000).unref();
`;

test('activation loads one small file; the view loads its bundle on demand and validates messages', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dist = join(dir, 'dist');
  await esbuild.build({
    entryPoints: {
      extension: join(root, 'extension/vscode/extension.ts'),
      'extension-view': join(root, 'extension/vscode/view-services.ts'),
    },
    outdir: dist,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  // The activation bundle must not carry the heavy libraries, even unevaluated: parsing them is the cost.
  const activationBundle = readFileSync(join(dist, 'extension.js'), 'utf8');
  for (const heavy of ['zod', 'openai', '@modelcontextprotocol', 'ajv']) {
    assert.ok(!activationBundle.includes(`node_modules/${heavy}/`), `dist/extension.js bundles ${heavy}; load it through deferred.ts`);
  }
  assert.ok(readFileSync(join(dist, 'extension-view.js'), 'utf8').includes('node_modules/zod/'), 'the check above looks for the wrong marker');

  const script = join(dir, 'child.cjs');
  writeFileSync(script, child);
  const r = spawnSync(process.execPath, [script, dist], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `child failed: ${r.stderr}\n${r.stdout}`);
  const report = JSON.parse(r.stdout) as {
    commands: string[];
    views: string[];
    posted: unknown[];
    errors: string[];
    loadedAfterActivate: string[];
    loadedAfterView: string[];
    roots: string[];
    htmlHasCsp: boolean;
  };
  // Every command of the table is registered at activation.
  assert.equal(report.commands.length, commandTable.length);
  assert.deepEqual(report.views, ['tiller.chat', 'tiller.mcpServers', 'tiller.tasks']);
  assert.deepEqual(report.loadedAfterActivate.filter((f) => f !== 'child.cjs'), ['extension.js']);
  assert.ok(report.loadedAfterView.includes('extension-view.js'), `view bundle not loaded: ${report.loadedAfterView.join(', ')}`);
  assert.deepEqual(report.roots, ['dist', 'media']);
  assert.ok(report.htmlHasCsp);
  // The setup form's fields come along: the endpoint already set, and whether a key is stored (never the key).
  // The refused task is answered for its request id, so the view does not wait for it.
  assert.deepEqual(report.posted, [
    { type: 'error', requestId: 'r1', message: 'Tiller did not run this: runTask.mode: Invalid option: expected one of "plan"|"act"' },
    { type: 'state', configured: true, model: 'test-model', baseUrl: 'http://127.0.0.1:9/v1', hasKey: false },
  ]);
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!, /dropped an invalid message from the chat view: runTask\.mode: /);
});
