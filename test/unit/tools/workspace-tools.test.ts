import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createPathGuard, type PathGuard } from '../../../mcp-servers/common/path-guard.js';
import { readFileTool, READ_CAP_BYTES } from '../../../mcp-servers/workspace/read-file.js';
import { listDirTool } from '../../../mcp-servers/workspace/list-dir.js';
import { findFilesTool } from '../../../mcp-servers/workspace/find-files.js';
import { searchWithJs } from '../../../mcp-servers/workspace/search-js.js';
import { searchWithRipgrep, findRipgrep } from '../../../mcp-servers/workspace/search-rg.js';
import { formatHits } from '../../../mcp-servers/workspace/search-hit.js';
import { proposeEditTool } from '../../../mcp-servers/workspace/propose-edit.js';
import type { ChangeSet } from '../../../extension/core/edits/types.js';

let base: string;
let root: string;
let guard: PathGuard;

function text(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

before(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-ws-')));
  root = join(base, 'root');
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
  mkdirSync(join(root, '.git'), { recursive: true });
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(root, 'src', 'a.ts'), 'export const needle = 1;\nconst other = 2;\n');
  writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'const NEEDLE = 3;\n');
  writeFileSync(join(root, '.env.example'), 'needle=1\n');
  writeFileSync(join(root, 'node_modules', 'pkg', 'index.js'), 'needle\n');
  writeFileSync(join(root, '.git', 'config'), 'needle\n');
  writeFileSync(join(root, 'bin.dat'), Buffer.from([1, 2, 0, 3, 110, 101, 101, 100, 108, 101]));
  writeFileSync(join(root, 'big.txt'), Buffer.alloc(2 * 1024 * 1024, 'needle\n'));
  writeFileSync(join(base, 'outside', 'x.ts'), 'needle\n');
  symlinkSync(join(base, 'outside'), join(root, 'linked-dir'));
  guard = await createPathGuard(root);
});

after(() => rmSync(base, { recursive: true, force: true }));

test('read_file returns raw text with a header, and ranges', async () => {
  const all = await readFileTool(guard, { path: 'src/a.ts' });
  assert.equal(text(all), 'File: src/a.ts (lines 1-2 of 2)\nexport const needle = 1;\nconst other = 2;\n');
  const second = await readFileTool(guard, { path: 'src/a.ts', startLine: 2, endLine: 2 });
  assert.equal(text(second), 'File: src/a.ts (lines 2-2 of 2)\nconst other = 2;\n');
  await assert.rejects(readFileTool(guard, { path: 'src' }), /is a directory/);
  await assert.rejects(readFileTool(guard, { path: 'nope.ts' }), /does not exist/);
  assert.equal((await readFileTool(guard, { path: 'src/a.ts', startLine: 9 })).isError, true);
});

test('read_file caps a read and says where to continue', async () => {
  const r = await readFileTool(guard, { path: 'big.txt' });
  const [header, ...rest] = text(r).split('\n');
  const shown = READ_CAP_BYTES / 7; // 'needle\n' is 7 bytes
  assert.equal(header, `File: big.txt (lines 1-${Math.floor(shown)} of ${Math.ceil((2 * 1024 * 1024) / 7)}); truncated at 256 KiB: read the rest with startLine=${Math.floor(shown) + 1}`);
  assert.ok(Buffer.byteLength(rest.join('\n')) <= READ_CAP_BYTES);
  assert.equal(r.structuredContent?.truncated, true);
});

test('read_file refuses binary files with a reason', async () => {
  await assert.rejects(readFileTool(guard, { path: 'bin.dat' }), /binary file \(it contains NUL bytes\)/);
});

test('list_dir marks directories, lists .git and node_modules without their contents', async () => {
  const r = await listDirTool(guard, { depth: 3 });
  const entries = r.structuredContent?.entries as string[];
  assert.ok(entries.includes('src/'));
  assert.ok(entries.includes('src/deep/b.ts'));
  assert.ok(entries.includes('node_modules/'));
  assert.ok(entries.includes('.git/'));
  assert.ok(!entries.some((e) => e.startsWith('node_modules/pkg') || e.startsWith('.git/config')));
  assert.ok(entries.includes('linked-dir'), 'a symlinked dir is listed as an entry, not followed');
  assert.ok(!entries.some((e) => e.startsWith('linked-dir/')));
  const src = await listDirTool(guard, { path: 'src' });
  assert.deepEqual(src.structuredContent?.entries, ['src/a.ts', 'src/deep/']);
  await assert.rejects(listDirTool(guard, { path: '../outside' }), /outside the workspace root/);
});

test('find_files matches globs with dotfiles, skips .git/node_modules and symlinked dirs', async () => {
  const ts = await findFilesTool(guard, { pattern: '*.ts' });
  assert.deepEqual(ts.structuredContent?.files, ['src/a.ts', 'src/deep/b.ts']);
  const scoped = await findFilesTool(guard, { pattern: 'src/**/*.ts', maxResults: 1 });
  assert.deepEqual(scoped.structuredContent?.files, ['src/a.ts']);
  assert.equal(scoped.structuredContent?.truncated, true);
  // Changed with issue 12: find_files never names a file the read rules deny (the default denies `.env*`).
  const dot = await findFilesTool(guard, { pattern: '.env*' });
  assert.deepEqual(dot.structuredContent?.files, []);
  assert.equal(dot.content[0]!.type === 'text' && dot.content[0]!.text, 'No files match ".env*"');
  const js = await findFilesTool(guard, { pattern: '**/*.js' });
  assert.deepEqual(js.structuredContent?.files, []);
});

test('JS search: case-insensitive by default, skips binaries, big files, .git, node_modules, symlinked dirs', async () => {
  const out = await searchWithJs(root, { query: 'needle', isRegex: false, maxResults: 100, caseSensitive: false });
  assert.equal(out.engine, 'js');
  assert.equal(formatHits(out.hits), '.env.example:1: needle=1\nsrc/a.ts:1: export const needle = 1;\nsrc/deep/b.ts:1: const NEEDLE = 3;');
  const sensitive = await searchWithJs(root, { query: 'NEEDLE', isRegex: false, maxResults: 100, caseSensitive: true });
  assert.deepEqual(sensitive.hits.map((h) => h.path), ['src/deep/b.ts']);
  const regex = await searchWithJs(root, { query: 'const \\w+ = [12]', isRegex: true, glob: 'src/**', maxResults: 1, caseSensitive: false });
  assert.deepEqual(regex, { hits: [{ path: 'src/a.ts', line: 1, text: 'export const needle = 1;' }], truncated: true, engine: 'js' });
  await assert.rejects(searchWithJs(root, { query: '(', isRegex: true, maxResults: 5, caseSensitive: false }), /invalid regular expression/);
  const loose = await searchWithJs(root, { query: 'needle\\ =', isRegex: true, maxResults: 5, caseSensitive: false });
  assert.deepEqual(loose.hits.map((h) => h.path), ['src/a.ts', 'src/deep/b.ts']);
});

test('the ripgrep engine parses --json output into the same hit format', async () => {
  // A stand-in rg that prints what `rg --json` prints for two matches.
  const fake = join(base, 'fake-rg');
  const events = [
    { type: 'begin', data: { path: { text: './src/a.ts' } } },
    { type: 'match', data: { path: { text: './src/a.ts' }, lines: { text: 'export const needle = 1;\n' }, line_number: 1 } },
    { type: 'match', data: { path: { text: './src/deep/b.ts' }, lines: { text: 'const NEEDLE = 3;\r\n' }, line_number: 1 } },
    { type: 'summary', data: {} },
  ];
  writeFileSync(fake, `#!/bin/sh\ncat <<'JSON'\n${events.map((e) => JSON.stringify(e)).join('\n')}\nJSON\n`);
  chmodSync(fake, 0o755);
  assert.equal(findRipgrep({ TILLER_RG_PATH: fake }), fake);
  assert.equal(findRipgrep({ TILLER_RG_PATH: join(base, 'missing-rg'), PATH: '/usr/bin:/bin' }), undefined);
  const out = await searchWithRipgrep(fake, root, { query: 'needle', isRegex: false, maxResults: 100, caseSensitive: false });
  assert.equal(formatHits(out.hits), 'src/a.ts:1: export const needle = 1;\nsrc/deep/b.ts:1: const NEEDLE = 3;');
  assert.equal(out.engine, 'ripgrep');
});

const realRg = findRipgrep(process.env);

test('a real ripgrep and the JS scan find the same hits', { skip: realRg === undefined && 'no ripgrep binary (set TILLER_RG_PATH to run this)' }, async () => {
  for (const q of [
    { query: 'needle', isRegex: false, maxResults: 100, caseSensitive: false },
    { query: 'NEEDLE', isRegex: false, maxResults: 100, caseSensitive: true },
    { query: 'const \\w+ = \\d', isRegex: true, glob: '*.ts', maxResults: 100, caseSensitive: false },
  ]) {
    const js = await searchWithJs(root, q);
    const rg = await searchWithRipgrep(realRg!, root, q);
    assert.equal(formatHits(rg.hits), formatHits(js.hits), JSON.stringify(q));
  }
  const capped = await searchWithRipgrep(realRg!, root, { query: 'e', isRegex: false, maxResults: 2, caseSensitive: false });
  assert.equal(capped.hits.length, 2);
  assert.equal(capped.truncated, true);
});

test('propose_edit returns a change set with hash and diff, and writes nothing', async () => {
  const before = readFileSync(join(root, 'src', 'a.ts'));
  const r = await proposeEditTool(guard, { path: 'src/a.ts', edits: [{ search: 'other = 2', replace: 'other = 22' }], description: 'bump' });
  assert.equal(r.isError, undefined);
  const cs = r.structuredContent?.changeSet as ChangeSet;
  assert.equal(cs.description, 'bump');
  assert.equal(cs.files.length, 1);
  assert.equal(cs.files[0]!.path, 'src/a.ts');
  assert.match(cs.files[0]!.baseHash!, /^[0-9a-f]{64}$/);
  assert.equal(cs.files[0]!.newContent, 'export const needle = 1;\nconst other = 22;\n');
  assert.match(cs.files[0]!.diff, /-const other = 2;\n\+const other = 22;/);
  assert.deepEqual(readFileSync(join(root, 'src', 'a.ts')), before);
});

test('propose_edit stages several files as one change set; a problem in any file refuses the whole change', async () => {
  const r = await proposeEditTool(guard, {
    path: 'src/a.ts',
    edits: [{ search: 'other = 2', replace: 'other = 3' }],
    also: [{ path: 'notes/b.md', content: 'b\n' }],
    description: 'two files',
  });
  const cs = r.structuredContent?.changeSet as ChangeSet;
  assert.deepEqual(cs.files.map((f) => f.path), ['src/a.ts', 'notes/b.md']);
  assert.equal(cs.files[1]!.baseHash, null);
  assert.match(String((r.content[0] as { text: string }).text), /Proposed: change src\/a\.ts, create notes\/b\.md/);
  const bad = await proposeEditTool(guard, { path: 'src/a.ts', content: 'x', also: [{ path: 'src/a.ts', content: 'y' }] });
  assert.equal(bad.isError, true);
  assert.match(String((bad.content[0] as { text: string }).text), /appears twice/);
  // The server turns this throw into an error result (see `guarded` in server.ts); nothing is staged either way.
  await assert.rejects(proposeEditTool(guard, { path: 'src/a.ts', content: 'x', also: [{ path: 'nope.ts', edits: [{ search: 'a', replace: 'b' }] }] }), /nope\.ts does not exist/);
});

test('propose_edit: new files, refusals', async () => {
  const created = await proposeEditTool(guard, { path: 'new/dir/file.md', content: '# hi\n' });
  const cs = created.structuredContent?.changeSet as ChangeSet;
  assert.equal(cs.files[0]!.baseHash, null);
  assert.match(cs.files[0]!.diff, /^--- \/dev\/null\n\+\+\+ b\/new\/dir\/file\.md/);
  assert.equal((await proposeEditTool(guard, { path: 'src/a.ts' })).isError, true);
  assert.equal((await proposeEditTool(guard, { path: '.git/config', content: 'x' })).isError, true);
  assert.equal((await proposeEditTool(guard, { path: 'src/a.ts', content: 'export const needle = 1;\nconst other = 2;\n' })).isError, true);
  await assert.rejects(proposeEditTool(guard, { path: 'linked-dir/x.ts', content: 'y' }), /symlink/);
  await assert.rejects(proposeEditTool(guard, { path: 'bin.dat', content: 'y' }), /binary/);
});
