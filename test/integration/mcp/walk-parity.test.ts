// One answer to "which files can the agent see": the index's walk and the workspace server (a real child over stdio)
// list the same files in a tree with root and nested .gitignore files, a negation, an anchored pattern and the
// always-skipped folders, whether the server searches with ripgrep or with its JS scan. No git repository is
// initialised: the rules must hold in a plain folder too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createToolHost, type SupervisedToolHost } from '../../../extension/core/tools/host.js';
import { builtinServerSpecs } from '../../../extension/core/tools/builtin.js';
import { walkWorkspace } from '../../../extension/core/context/index/walk.js';
import { findRipgrep } from '../../../mcp-servers/workspace/search-rg.js';
import { buildBundles } from '../../helpers/bundles.js';

const TREE: Record<string, string> = {
  '.gitignore': '# needle\nbuild/\n*.log\n/only-root.txt\n',
  'src/a.ts': 'export const needle = 1;\n',
  'src/debug.log': 'needle in an ignored log\n',
  'build/out.js': 'needle in an ignored folder\n',
  'only-root.txt': 'needle, ignored by an anchored pattern\n',
  'sub/only-root.txt': 'needle, not anchored here\n',
  'pkg/.gitignore': '# needle\ngenerated/\n!keep.log\n',
  'pkg/generated/g.ts': 'needle generated\n',
  'pkg/keep.log': 'needle re-included by a nested negation\n',
  'pkg/lib.ts': 'needle\n',
  '.hidden/h.txt': 'needle in a dot folder\n',
  'node_modules/m/index.js': 'needle in a dependency\n',
  '.git/config': 'needle in git internals\n',
};
const VISIBLE = ['.gitignore', '.hidden/h.txt', 'pkg/.gitignore', 'pkg/keep.log', 'pkg/lib.ts', 'src/a.ts', 'sub/only-root.txt'];

let root = '';
let dist = '';
const hosts: SupervisedToolHost[] = [];
const rg = findRipgrep();

before(async () => {
  dist = await buildBundles();
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-walk-parity-')));
  for (const [rel, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
});

after(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  rmSync(root, { recursive: true, force: true });
});

function workspaceHost(ripgrepPath: string): SupervisedToolHost {
  const specs = builtinServerSpecs(dist, root, { ripgrepPath }).filter((s) => s.name === 'workspace');
  const host = createToolHost(specs, { log: { info() {}, warn() {}, error() {} } });
  hosts.push(host);
  return host;
}

async function serverFiles(host: SupervisedToolHost): Promise<{ found: string[]; searched: string[]; engine: unknown }> {
  const found = await host.callTool('workspace.find_files', { pattern: '**' });
  const hits = await host.callTool('workspace.search_text', { query: 'needle', maxResults: 1000 });
  const files = found.structured?.files as string[];
  const hitPaths = (hits.structured?.hits as { path: string }[]).map((h) => h.path);
  return { found: [...files].sort(), searched: [...new Set(hitPaths)].sort(), engine: hits.structured?.engine };
}

test('the index walk sees the files git would track', async () => {
  const { files } = await walkWorkspace(root, { maxFiles: 1000 });
  assert.deepEqual([...files].sort(), VISIBLE);
});

test('the server without ripgrep lists and searches the same files as the index', async () => {
  const out = await serverFiles(workspaceHost(join(root, 'no-such-rg')));
  assert.equal(out.engine, 'js');
  assert.deepEqual(out.found, VISIBLE);
  assert.deepEqual(out.searched, VISIBLE);
});

test('the server with ripgrep searches the same files as the index', { skip: rg === undefined && 'no ripgrep binary (set TILLER_RG_PATH or put rg on PATH)' }, async () => {
  const out = await serverFiles(workspaceHost(rg!));
  assert.equal(out.engine, 'ripgrep');
  assert.deepEqual(out.found, VISIBLE);
  assert.deepEqual(out.searched, VISIBLE);
});
