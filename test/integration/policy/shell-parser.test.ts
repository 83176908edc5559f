// The parser is loaded once per process and every entry point awaits it. Until then — or if the grammar cannot be
// loaded — a shell command asks with the reason; nothing is allowed on a guess.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { renameImports } from '../../../extension/core/policy/wasm-imports.js';

const repo = path.resolve(__dirname, '../../..');

function decideInFreshProcess(script: string): { decision: string; rule: string; reason: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { decision: string; rule: string; reason: string };
}

test('before initShellParser, an allowed command asks and says why', () => {
  const d = decideInFreshProcess(`
    const { createPolicyEngine } = require('./extension/core/policy/engine.ts');
    const e = createPolicyEngine({ workspaceRoots: [process.cwd()], userRules: { allow: ['shell(ls *)'] }, caseInsensitive: false });
    console.log(JSON.stringify(e.decide({ kind: 'shell', command: 'ls' })));`);
  assert.equal(d.decision, 'ask');
  assert.match(d.reason, /shell parser is not loaded/);
});

test('after initShellParser, the same engine allows it', () => {
  const d = decideInFreshProcess(`
    const { createPolicyEngine } = require('./extension/core/policy/engine.ts');
    const { initShellParser } = require('./extension/core/policy/shell-parser.ts');
    const e = createPolicyEngine({ workspaceRoots: [process.cwd()], userRules: { allow: ['shell(ls *)'] }, caseInsensitive: false });
    initShellParser().then(() => console.log(JSON.stringify(e.decide({ kind: 'shell', command: 'ls' }))));`);
  assert.equal(d.decision, 'allow');
});

test('renameImports rewrites one import name and keeps the module valid', () => {
  // (module (import "env" "isalpha" (func (param i32) (result i32))))
  const bytes = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 2, 17, 1, 3, 101, 110, 118, 7, 105, 115, 97, 108, 112, 104, 97, 0, 0]);
  const out = renameImports(bytes, { isalpha: 'iswalpha' });
  assert.deepEqual(WebAssembly.Module.imports(new WebAssembly.Module(out)), [{ module: 'env', name: 'iswalpha', kind: 'function' }]);
});
