import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseMentions, resolveMentions } from '../../../../extension/core/context/assembly/mentions.js';
import { createFsMentionSources } from '../../../../extension/core/context/assembly/fs-mentions.js';

test('parses each kind of mention and ignores e-mail addresses, people and duplicates', () => {
  const m = parseMentions('Fix @src/a.ts, see @docs/ and @symbol:parseDate. Check @problems @diff @terminal @mcp:db:table/1 — mail bob@example.com or @alice. Again @src/a.ts.');
  assert.deepEqual(m, [
    { kind: 'file', path: 'src/a.ts' },
    { kind: 'folder', path: 'docs' },
    { kind: 'symbol', name: 'parseDate' },
    { kind: 'problems' },
    { kind: 'diff' },
    { kind: 'terminal' },
    { kind: 'mcp', server: 'db', uri: 'table/1' },
  ]);
});

test('file mentions resolve inside the workspace only; links out and .. are refused with a reason', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-mention-'));
  const outside = mkdtempSync(join(tmpdir(), 'tiller-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'bin.dat'), Buffer.from([1, 0, 2]));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
  const sources = createFsMentionSources(root);
  const resolved = await resolveMentions(parseMentions('@src/a.ts @../x/secret.txt @link.txt @bin.dat @missing.ts @src/'), sources);
  assert.match(resolved[0]!.content!.text, /export const a = 1/);
  assert.ok(resolved[0]!.content!.tokens > 0);
  assert.match(resolved[1]!.error!, /outside the workspace/);
  assert.match(resolved[2]!.error!, /resolves outside the workspace/);
  assert.match(resolved[3]!.error!, /binary/);
  assert.match(resolved[4]!.error!, /not found/);
  assert.match(resolved[5]!.content!.text, /Folder src\/:\na\.ts/);
  assert.ok(!JSON.stringify(resolved).includes('SECRET'));
});

test('@diff runs git diff in the workspace; outside a repository it says why', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-diff-'));
  const plain = await createFsMentionSources(root).gitDiff();
  assert.equal(typeof plain, 'string');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init');
  writeFileSync(join(root, 'f.txt'), 'one\n');
  git('add', 'f.txt');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'f');
  writeFileSync(join(root, 'f.txt'), 'two\n');
  const diff = await createFsMentionSources(root).gitDiff();
  assert.equal(typeof diff, 'object');
  assert.match((diff as { text: string }).text, /-one\n\+two/);
});

test('hosts without a source answer with an error string, not an exception', async () => {
  const r = await resolveMentions(parseMentions('@problems @symbol:Foo'), createFsMentionSources(tmpdir()));
  assert.ok(r.every((x) => typeof x.error === 'string' && !x.content));
});

test('@symbol resolves through the index lookup to the definition lines; the in-process index fits the port', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-sym-'));
  writeFileSync(join(root, 'd.ts'), 'import x from "y";\nexport function parseDate(s: string) {\n  return new Date(s);\n}\nconst other = 1;\n');
  const sources = createFsMentionSources(root, {
    lookupSymbol: (name) => (name === 'parseDate' ? [{ name, kind: 'function', path: 'd.ts', line: 2, endLine: 4 }] : name === 'Evil' ? [{ name, kind: 'class', path: '../../etc/passwd', line: 1, endLine: 2 }] : []),
  });
  const ok = await sources.symbol('parseDate');
  assert.equal(typeof ok, 'object');
  assert.equal((ok as { text: string }).text, 'function parseDate in d.ts, lines 2-4:\nexport function parseDate(s: string) {\n  return new Date(s);\n}');
  assert.match((await sources.symbol('Nope')) as string, /no symbol named Nope/);
  assert.match((await sources.symbol('Evil')) as string, /only outside the workspace/);

  const { repoContextFromIndex } = await import('../../../../extension/core/context/assembly/index-repo-context.js');
  const repo = repoContextFromIndex({ rank: () => [{ path: 'd.ts', score: 1, reasons: ['r'], symbols: [] }], repoMap: (_q, b) => ({ text: `map ${b}`, tokens: 2, files: [] }) });
  assert.equal((await repo.rank({ text: 'q' }))[0]!.path, 'd.ts');
  assert.equal((await repo.repoMap({ text: 'q' }, 50)).text, 'map 50');
});
