// The hook runtime with real bash (sandbox off here; the CLI tests run hooks in the sandbox): an MCP tool's call
// reaches a hook matched by its `mcp__server__tool` name with Claude's fields on stdin, and a hook that is not matched
// never runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHookRuntime } from '../../../../extension/core/agent/hooks/runtime.js';
import { createSandboxRunner } from '../../../../extension/core/sandbox/runner.js';
import type { HookCommand } from '../../../../extension/core/agent/hooks/config.js';
import type { TraceEventBody, TraceSink } from '../../../../extension/core/trace/events.js';

function setup(hooks: Omit<HookCommand, 'source' | 'file' | 'timeoutSec'>[]) {
  const root = mkdtempSync(join(tmpdir(), 'tiller-hooks-'));
  const events: TraceEventBody[] = [];
  const trace: TraceSink = { path: undefined, session: 's1', emit: (_a, b) => void events.push(b), close() {} };
  const runner = createSandboxRunner({ policy: { version: 1, workspaceRoots: [root], caseInsensitive: false, userRules: {}, projectRules: {} }, mode: 'off', home: root });
  const runtime = createHookRuntime({ hooks: hooks.map((h) => ({ ...h, source: 'user', file: 'settings.json', timeoutSec: 10 })), runner, workspaceRoot: root, sessionId: 's1', transcriptPath: () => '/t.jsonl', trace });
  return { root, events, runtime };
}

test('an mcp__server__tool matcher covers an MCP tool; the hook gets tool_name and the arguments', async () => {
  const { root, events, runtime } = setup([
    { event: 'PreToolUse', matcher: 'mcp__memory__.*', command: 'cat > mcp.json' },
    { event: 'PreToolUse', matcher: 'mcp__github__.*', command: 'touch github-ran' },
  ]);
  const verdict = await runtime.beforeTool({ step: 1, callId: 'c1', agent: 'main', tool: 'memory.store', args: { key: 'k' } });
  assert.deepEqual(verdict, { context: [] });
  const stdin = JSON.parse(readFileSync(join(root, 'mcp.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(stdin.tool_name, 'mcp__memory__store');
  assert.deepEqual(stdin.tool_input, { key: 'k' });
  assert.equal(stdin.transcript_path, '/t.jsonl');
  assert.equal(existsSync(join(root, 'github-ran')), false);
  assert.deepEqual(events.filter((e) => e.type === 'hook').map((e) => (e as { matcher: string }).matcher), ['mcp__memory__.*']);
});

test('the hook environment carries no API keys, and CLAUDE_PROJECT_DIR names the workspace', async () => {
  process.env.TILLER_API_KEY = 'sk-should-not-leak';
  try {
    const { root, runtime } = setup([{ event: 'SessionStart', matcher: '', command: 'env > env.txt' }]);
    await runtime.sessionStart({ agent: 'main', source: 'startup' });
    const env = readFileSync(join(root, 'env.txt'), 'utf8');
    assert.ok(!env.includes('sk-should-not-leak'));
    assert.match(env, new RegExp(`CLAUDE_PROJECT_DIR=${root}`));
  } finally {
    delete process.env.TILLER_API_KEY;
  }
});
