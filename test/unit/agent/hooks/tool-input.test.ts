// What hooks are told about a call and which calls a matcher covers: Claude's aliases, Tiller's names, mcp__ names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claudeToolInput, claudeToolName, matchableNames, matcherCovers } from '../../../../extension/core/agent/hooks/tool-input.js';
import { BUILTIN_TOOLS, EDIT_TOOL, SHELL_TOOL } from '../../../../extension/core/model/builtin-tools.js';

const root = '/ws';

test("tool_input in Claude's shape for the tools it knows", () => {
  assert.deepEqual(claudeToolInput(SHELL_TOOL, { command: 'npm test', cwd: 'pkg' }, root), { command: 'npm test', cwd: '/ws/pkg' });
  assert.deepEqual(claudeToolInput('workspace.read_file', { path: 'src/a.ts' }, root), { file_path: '/ws/src/a.ts' });
  assert.deepEqual(claudeToolInput(EDIT_TOOL, { path: 'a.ts', edits: [{ search: 'x', replace: 'y' }] }, root), { file_path: '/ws/a.ts', old_string: 'x', new_string: 'y' });
  assert.deepEqual(claudeToolInput(EDIT_TOOL, { path: 'a.ts', content: 'new' }, root), { file_path: '/ws/a.ts', content: 'new' });
  assert.deepEqual(claudeToolInput('workspace.search_text', { query: 'TODO', glob: '*.ts' }, root), { pattern: 'TODO', path: '/ws', glob: '*.ts' });
  assert.deepEqual(claudeToolInput('workspace.find_files', { pattern: '**/*.md' }, root), { pattern: '**/*.md', path: '/ws' });
  assert.deepEqual(claudeToolInput('github.create_issue', { title: 't' }, root), { title: 't' });
});

test('tool_name: the alias, Write for whole content, mcp__server__tool for the rest', () => {
  assert.equal(claudeToolName(SHELL_TOOL, {}), 'Bash');
  assert.equal(claudeToolName(EDIT_TOOL, { content: 'x' }), 'Write');
  assert.equal(claudeToolName(EDIT_TOOL, { edits: [] }), 'Edit');
  assert.equal(claudeToolName('github.create_issue', {}), 'mcp__github__create_issue');
  for (const t of BUILTIN_TOOLS) assert.ok(matchableNames(t.name, {}).includes(t.claudeAliases[0]!), t.name);
});

test('matchers are whole-name regexes over every name of the call; empty and * match all', () => {
  const edit = matchableNames(EDIT_TOOL, { edits: [] });
  assert.ok(matcherCovers('Edit|Write', edit));
  assert.ok(matcherCovers('Write', edit), 'every alias of the edit tool, so a Write guard sees every edit');
  assert.ok(matcherCovers('workspace\\.propose_edit', edit));
  assert.ok(!matcherCovers('Bash', edit));
  assert.ok(!matcherCovers('Edi', edit), 'anchored: a prefix is not a match');
  const mcp = matchableNames('memory.store', {});
  assert.ok(matcherCovers('mcp__memory__.*', mcp));
  assert.ok(matcherCovers('memory\\.store', mcp));
  assert.ok(!matcherCovers('mcp__github__.*', mcp));
  assert.ok(matcherCovers('', mcp) && matcherCovers('*', mcp));
});
