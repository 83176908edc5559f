// History evidence on a real git repository: co-change pairs, commit subjects matched to an issue, incremental reads.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorkspaceIndex } from '../../../../extension/core/context/index/workspace-index.js';
import { removeTree, writeTree } from '../../../unit/context/index/tree.js';

let root = '';
afterEach(() => removeTree(root));

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' });
}

function commit(files: Record<string, string>, subject: string): void {
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(root, rel), text);
  git('add', '-A');
  git('commit', '-q', '-m', subject);
}

function repo(): void {
  root = writeTree({
    'src/lexer.js': 'export function lex(s) { return s.split(""); }\n',
    'src/grammar.js': 'export function parse(tokens) { return tokens; }\n',
    'src/printer.js': 'export function print(ast) { return String(ast); }\n',
    'src/cli.js': 'export function main() {}\n',
    'README.md': '# lang\n',
  });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial import');
  commit({ 'src/lexer.js': 'export function lex(s) { return [...s]; }\n', 'src/grammar.js': 'export function parse(t) { return t; }\n' }, 'Handle surrogate pairs when splitting input');
  commit({ 'src/lexer.js': 'export function lex(s) { return [...s].filter(Boolean); }\n', 'src/grammar.js': 'export function parse(t) { return t.slice(); }\n' }, 'Keep lexer and grammar token kinds in step');
  commit({ 'src/printer.js': 'export function print(ast) { return JSON.stringify(ast); }\n' }, 'Printer quotes escapes in string literals');
  commit({ 'README.md': '# lang\nUsage.\n' }, 'Docs: usage');
}

test('files changed together are linked, and a file the issue names lends rank to its co-changed partner', async () => {
  repo();
  const index = await buildWorkspaceIndex({ root });
  assert.equal(index.history.size, 5);
  // The initial import and two fixes changed both.
  assert.equal(index.history.coChanged('src/lexer.js').get('src/grammar.js'), 3);
  assert.equal(index.history.coChanged('src/lexer.js').get('src/printer.js'), 1, 'only the initial import');
  const ranked = index.rank({ text: 'lex() in src/lexer.js drops empty tokens', top: 5 });
  assert.equal(ranked[0]?.path, 'src/lexer.js');
  const partner = ranked.find((r) => r.path === 'src/grammar.js');
  assert.ok(partner?.reasons.includes('changed with src/lexer.js in 3 commits'), JSON.stringify(partner));
});

test('a commit whose subject reads like the issue points to the files it touched', async () => {
  repo();
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'Escapes inside string literals come out unquoted', top: 5 });
  const printer = ranked.find((r) => r.path === 'src/printer.js');
  assert.ok(printer, JSON.stringify(ranked.map((r) => r.path)));
  assert.ok(printer.reasons.some((r) => r.startsWith('touched by commit') && r.includes('Printer quotes escapes')));
  assert.equal(ranked.findIndex((r) => r.path === 'src/printer.js'), 0);
});

test('a refresh reads only the commits made since the last read, and a workspace without git has no history', async () => {
  repo();
  const index = await buildWorkspaceIndex({ root });
  assert.equal(await index.refreshHistory(), 0);
  commit({ 'src/lexer.js': 'export function lex(s) { return [...s]; }\n', 'src/grammar.js': 'export function parse(t) { return [...t]; }\n' }, 'Lexer: spread again');
  assert.equal(await index.refreshHistory(), 1);
  assert.equal(index.history.size, 6);
  assert.equal(index.history.coChanged('src/lexer.js').get('src/grammar.js'), 4);
  removeTree(root);
  root = writeTree({ 'a.js': 'export const a = 1;\n' });
  const plain = await buildWorkspaceIndex({ root });
  assert.equal(plain.history.size, 0);
});
