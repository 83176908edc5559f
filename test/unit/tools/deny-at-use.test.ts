// Issue 12, classes 7 and 8: the workspace server decides again on what it really opened. A path swapped for a
// symlink between the decision and the open is not read; a hard link to `.env` is denied like `.env`; searches and
// listings never mention a denied file, not even as a count; the rules come from the harness's policy file and are
// re-read when the harness rewrites it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createPathGuard, type PathGuard } from '../../../mcp-servers/common/path-guard.js';
import { createUsePolicy, HARD_LINK_RULE } from '../../../mcp-servers/common/use-policy.js';
import { readFileTool } from '../../../mcp-servers/workspace/read-file.js';
import { listDirTool } from '../../../mcp-servers/workspace/list-dir.js';
import { findFilesTool } from '../../../mcp-servers/workspace/find-files.js';
import { searchTextTool } from '../../../mcp-servers/workspace/search-text.js';
import { proposeEditTool } from '../../../mcp-servers/workspace/propose-edit.js';
import { guarded } from '../../../mcp-servers/common/tool-result.js';
import { writeEffectivePolicy } from '../../../extension/core/policy/effective.js';

const CANARY = 'CANARY-7d1e-do-not-leak';
let root: string;
let guard: PathGuard;

function text(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

before(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-use-')));
  mkdirSync(join(root, 'src'));
  mkdirSync(join(root, 'd'));
  mkdirSync(join(root, '.aws'));
  writeFileSync(join(root, '.env'), `KEY=${CANARY}\n`);
  writeFileSync(join(root, '.aws', 'creds'), `aws=${CANARY}\n`);
  writeFileSync(join(root, 'd', 'creds'), 'harmless\n');
  writeFileSync(join(root, 'src', 'a.ts'), 'export const KEY = 1;\n');
  linkSync(join(root, '.env'), join(root, 'src', 'notes.txt')); // the hard link
  guard = await createPathGuard(root);
});

after(() => rmSync(root, { recursive: true, force: true }));

test('read_file of a hard link to .env is denied by the hard-link rule and names the denied file', async () => {
  const r = await guarded(() => readFileTool(guard, { path: 'src/notes.txt' }));
  assert.equal(r.isError, true);
  assert.ok(!text(r).includes(CANARY));
  assert.match(text(r), new RegExp(`Denied by the permission rules \\(${HARD_LINK_RULE}\\): .*src/notes\\.txt is a hard link to .*\\.env, denied by \`deny read\\(\\*\\*/\\.env\\)\``));
  const edit = await guarded(() => proposeEditTool(guard, { path: 'src/notes.txt', edits: [{ search: 'KEY', replace: 'X' }] }));
  assert.equal(edit.isError, true, 'propose_edit would show the content in its diff');
  assert.ok(!text(edit).includes(CANARY));
});

test('search, find and list never mention a denied file or its hard link, not even as a count', async () => {
  const saved = process.env.TILLER_RG_PATH;
  // Both engines: ripgrep when installed (from PATH), and the JS scan (a set-but-missing path forces it).
  for (const engine of [saved, '/nonexistent/rg']) {
    if (engine === undefined) delete process.env.TILLER_RG_PATH;
    else process.env.TILLER_RG_PATH = engine;
    await searchLeavesNoTrace();
  }
  if (saved === undefined) delete process.env.TILLER_RG_PATH;
  else process.env.TILLER_RG_PATH = saved;
  const found = await findFilesTool(guard, { pattern: '**/*' });
  assert.deepEqual(found.structuredContent?.files, ['d/creds', 'src/a.ts']);
  const listed = await listDirTool(guard, { depth: 2 });
  assert.deepEqual(listed.structuredContent?.entries, ['d/', 'd/creds', 'src/', 'src/a.ts']);
  const inside = await listDirTool(guard, { path: '.aws' });
  assert.equal(inside.isError, true);
  assert.doesNotMatch(text(inside), /creds/);
});

async function searchLeavesNoTrace(): Promise<void> {
  for (const query of ['KEY', CANARY, 'do-not-leak']) {
    const r = await searchTextTool(guard, { query });
    const out = text(r).replace(`No matches for ${JSON.stringify(query)}`, 'No matches');
    assert.ok(!out.includes(CANARY), out);
    assert.doesNotMatch(out, /\.env|notes\.txt|\.aws|omitted|\d+ (line|file|match)/, out);
  }
  assert.equal(text(await searchTextTool(guard, { query: CANARY })), `No matches for ${JSON.stringify(CANARY)}`);
  // The "stopped at" note counts only what may be shown: one visible hit, one allowed, no note.
  const capped = await searchTextTool(guard, { query: 'KEY', maxResults: 1 });
  assert.equal(capped.structuredContent?.truncated, false);
  assert.equal(text(capped), 'src/a.ts:1: export const KEY = 1;');
}

test('a hard link made right after a search (the link index is fresh) is still denied', async () => {
  writeFileSync(join(root, 'd', '.env'), `LATE=${CANARY}\n`);
  await searchTextTool(guard, { query: 'harmless' }); // builds the index while d/.env has one name
  linkSync(join(root, 'd', '.env'), join(root, 'd', 'late.txt'));
  try {
    const r = await guarded(() => readFileTool(guard, { path: 'd/late.txt' }));
    assert.ok(!text(r).includes(CANARY));
    assert.match(text(r), new RegExp(`\\(${HARD_LINK_RULE}\\): .*d/late\\.txt is a hard link to .*d/\\.env`));
  } finally {
    rmSync(join(root, 'd', 'late.txt'));
    rmSync(join(root, 'd', '.env'));
  }
});

test('a file swapped for a symlink to .env after the path was checked is not read (O_NOFOLLOW)', async () => {
  writeFileSync(join(root, 'src', 'swap.txt'), 'fine\n');
  const target = await guard.resolve('src/swap.txt');
  rmSync(join(root, 'src', 'swap.txt'));
  symlinkSync(join(root, '.env'), join(root, 'src', 'swap.txt'));
  await assert.rejects(guard.openRead(target), /became a symlink after it was checked; not read/);
  rmSync(join(root, 'src', 'swap.txt'));
});

test('a folder swapped for a symlink to a denied folder is caught by what the descriptor really opened', async () => {
  const target = await guard.resolve('d/creds'); // decided as the harmless d/creds
  renameSync(join(root, 'd'), join(root, 'd.old'));
  symlinkSync(join(root, '.aws'), join(root, 'd'));
  try {
    await assert.rejects(guard.openRead(target), /Denied by the permission rules \(deny read\(\*\*\/\.aws\/\*\*\)\)/);
  } finally {
    rmSync(join(root, 'd'));
    renameSync(join(root, 'd.old'), join(root, 'd'));
  }
});

test('a background process swapping the path in a loop never gets the canary through read_file', async () => {
  writeFileSync(join(root, 'src', 'race.txt'), 'plain\n');
  let stop = false;
  const swapper = (async () => {
    while (!stop) {
      rmSync(join(root, 'src', 'race.txt'), { force: true });
      symlinkSync(join(root, '.env'), join(root, 'src', 'race.txt'));
      await new Promise((r) => setImmediate(r));
      rmSync(join(root, 'src', 'race.txt'), { force: true });
      writeFileSync(join(root, 'src', 'race.txt'), 'plain\n');
      await new Promise((r) => setImmediate(r));
    }
  })();
  let plain = 0;
  for (let i = 0; i < 300; i++) {
    const r = await guarded(() => readFileTool(guard, { path: 'src/race.txt' }));
    assert.ok(!text(r).includes(CANARY), `read ${i} leaked the canary`);
    if (!r.isError) plain++;
  }
  stop = true;
  await swapper;
  rmSync(join(root, 'src', 'race.txt'), { force: true });
  assert.ok(plain >= 0);
});

test("the server's rules come from the harness's policy file, re-read when the harness rewrites it", async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tiller-policy-file-')), 'policy.json');
  const write = (deny: string[]) =>
    writeEffectivePolicy(file, { version: 1, workspaceRoots: [root], caseInsensitive: false, userRules: { deny }, projectRules: {} });
  write(['read(src/a.ts)']);
  const withPolicy = await createPathGuard(root, { policy: createUsePolicy(root, file) });
  const denied = await guarded(() => readFileTool(withPolicy, { path: 'src/a.ts' }));
  assert.match(text(denied), /Denied by the permission rules \(deny read\(src\/a\.ts\)\)/);
  assert.doesNotMatch(text(await searchTextTool(withPolicy, { query: 'KEY' })), /src\/a\.ts/);
  write([]);
  const allowed = await guarded(() => readFileTool(withPolicy, { path: 'src/a.ts' }));
  assert.equal(allowed.isError, undefined);
  assert.match(text(allowed), /export const KEY = 1/);
});
