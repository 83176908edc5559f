// The host's side of the protocol against a real spawned server (test/fixtures/mcp/protocol-server.ts): progress,
// cancellation with a late answer, elicitation, sampling, roots, logging, list changes, resources and prompts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createToolHost, type ToolHostOptions } from '../../../extension/core/tools/host.js';
import { ToolHostError, type ServerSpec } from '../../../extension/core/tools/types.js';
import { cachingToolHost } from '../../../extension/core/tools/cache.js';
import type { ApprovalRequest, ElicitationRequest, Logger } from '../../../extension/core/ports.js';
import type { SampleRequest } from '../../../extension/core/tools/protocol/sampling.js';
import { waitFor } from './wait.js';

const repo = resolve(__dirname, '../../..');
const fixture = join(repo, 'test', 'fixtures', 'mcp', 'protocol-server.ts');
const lateFixture = join(repo, 'test', 'fixtures', 'mcp', 'late-server.ts');
let dir: string;

function spec(name: string): ServerSpec {
  return { name, transport: 'stdio', command: process.execPath, args: ['--import', 'tsx', fixture, '--events', join(dir, `${name}.events`)], cwd: repo };
}

function events(name: string): string[] {
  const file = join(dir, `${name}.events`);
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function host(name: string, options: ToolHostOptions = {}) {
  return createToolHost([spec(name)], { connectTimeoutMs: 30_000, ...options });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tiller-protocol-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('progress notifications reach the callback and restart the timeout; the total cap still ends the call', async () => {
  const h = host('progress', { maxCallDurationMs: 1500 });
  try {
    const seen: { progress: number; total?: number; message?: string }[] = [];
    // Twelve steps of 100 ms (1.2 s) outlast the 800 ms timeout only because each step restarts it.
    const result = await h.callTool('progress.slow_progress', { steps: 12, intervalMs: 100 }, { timeoutMs: 800, onProgress: (p) => seen.push(p) });
    assert.match(result.content, /done after 12 steps \(token present\)/);
    // The last notification can race the result (the SDK drops progress for a finished request), so 11 or 12 arrive.
    assert.ok(seen.length >= 11, `${seen.length} progress notifications`);
    assert.deepEqual(seen[0], { progress: 1, total: 12, message: 'step 1' });
    assert.ok(seen.every((p, i) => p.progress === i + 1));
    // Thirty steps take 3 s: progress keeps it alive past 800 ms but not past the 1.5 s total.
    await assert.rejects(
      h.callTool('progress.slow_progress', { steps: 30, intervalMs: 100 }, { timeoutMs: 800 }),
      (e: unknown) => e instanceof ToolHostError && e.kind === 'timeout',
    );
  } finally {
    await h.close();
  }
});

test('a cancelled call tells the server, and the answer it sends afterwards is dropped', async () => {
  const log = recordingLogger();
  const late: ServerSpec = { name: 'late', transport: 'stdio', command: process.execPath, args: ['--import', 'tsx', lateFixture, '--events', join(dir, 'late.events')], cwd: repo };
  const h = createToolHost([late], { log, connectTimeoutMs: 30_000 });
  try {
    const controller = new AbortController();
    const call = h.callTool('late.late', {}, { signal: controller.signal });
    await waitFor(() => events('late').includes('late-started'), 'the late tool to start');
    controller.abort();
    await assert.rejects(call, (e: unknown) => e instanceof ToolHostError && e.kind === 'cancelled');
    await waitFor(() => events('late').includes('late-answered'), 'the server to answer after the cancel');
    // The late response has no request waiting for it: the SDK reports it as unknown and nothing receives it.
    await waitFor(() => log.lines.some((l) => /unknown message ID/i.test(l)), 'the late response to be dropped');
    const next = await h.callTool('late.quick', {});
    assert.equal(next.content, 'quick answer');
  } finally {
    await h.close();
  }
});

test('a cancelled read is not cached: the next identical call reaches the server and gets a fresh answer', async () => {
  const log = recordingLogger();
  const events = join(dir, 'cached.events');
  const inner = createToolHost(
    [{ name: 'workspace', transport: 'stdio', command: process.execPath, args: ['--import', 'tsx', lateFixture, '--events', events], cwd: repo }],
    { log, connectTimeoutMs: 30_000 },
  );
  const h = cachingToolHost(inner);
  const seen = () => (existsSync(events) ? readFileSync(events, 'utf8').trim().split('\n') : []);
  try {
    await h.listTools();
    const controller = new AbortController();
    const call = h.callTool('workspace.read_file', { path: 'a' }, { signal: controller.signal });
    await waitFor(() => seen().includes('late-started'), 'the read to start');
    controller.abort();
    await assert.rejects(call, (e: unknown) => e instanceof ToolHostError && e.kind === 'cancelled');
    await waitFor(() => log.lines.some((l) => /unknown message ID/i.test(l)), 'the late response to be dropped');
    assert.equal(h.cache.size, 0);
    const again = await h.callTool('workspace.read_file', { path: 'a' });
    assert.equal(again.content, 'fresh answer');
    assert.equal(seen().filter((e) => e === 'call read_file').length, 2);
  } finally {
    await h.close();
  }
});

test('elicitation: the user answer gets schema defaults; an answer outside the schema is sent as cancel', async () => {
  const asked: ElicitationRequest[] = [];
  let answer: { action: 'accept'; content: Record<string, string | number> } = { action: 'accept', content: { colour: 'red' } };
  const h = host('elicit', { elicitor: { elicit: async (request) => (asked.push(request), answer) } });
  try {
    const first = await h.callTool('elicit.ask', {});
    assert.deepEqual(JSON.parse(first.content), { action: 'accept', content: { colour: 'red', count: 2 } });
    assert.equal(asked[0]?.server, 'elicit');
    assert.equal(asked[0]?.message, 'Which colour?');
    answer = { action: 'accept', content: { colour: 'blue' } };
    const second = await h.callTool('elicit.ask', {});
    assert.deepEqual(JSON.parse(second.content), { action: 'cancel' });
  } finally {
    await h.close();
  }
});

test('without an elicitor the capability is not declared and the server cannot ask', async () => {
  const h = host('noelicit');
  try {
    const result = await h.callTool('noelicit.ask', {});
    assert.equal(result.isError, true);
    assert.match(result.content, /elicitation/i);
  } finally {
    await h.close();
  }
});

test('sampling goes to the model only after approval, with the role the preferences ask for', async () => {
  const requests: ApprovalRequest[] = [];
  const samples: SampleRequest[] = [];
  let approve = true;
  const h = host('sampler', {
    sampling: {
      approver: {
        approve: async (request) => (requests.push(request), approve ? { approved: true } : { approved: false }),
        askUser: async () => undefined,
      },
      sample: async (request) => (samples.push(request), { text: 'a haiku', model: 'fixture-model', stopReason: 'endTurn' }),
      maxTokensCap: 50,
    },
  });
  try {
    const result = await h.callTool('sampler.sample', { prompt: 'write a haiku', maxTokens: 500 });
    assert.equal(result.content, 'sampled: a haiku (model fixture-model)');
    assert.deepEqual(requests[0], { kind: 'sampling', server: 'sampler', messages: [{ role: 'user', text: 'write a haiku' }], maxTokens: 50 });
    assert.equal(samples[0]?.role, 'main');
    assert.equal(samples[0]?.maxTokens, 50);
    approve = false;
    const declined = await h.callTool('sampler.sample', { prompt: 'again' });
    assert.match(declined.content, /sampling failed: .*declined/);
    assert.equal(samples.length, 1);
  } finally {
    await h.close();
  }
});

test('roots are the workspace folders as file URIs, and a change is announced', async () => {
  const h = host('rooted', { roots: [dir] });
  try {
    const listed = JSON.parse((await h.callTool('rooted.roots', {})).content) as { roots: { uri: string }[] };
    assert.deepEqual(listed.roots.map((r) => r.uri), [pathToFileURL(dir).href]);
    const other = join(dir, 'other');
    await h.setRoots([dir, other]);
    await waitFor(() => events('rooted').includes('roots-changed'), 'roots/list_changed at the server');
    const again = JSON.parse((await h.callTool('rooted.roots', {})).content) as { roots: { uri: string }[] };
    assert.deepEqual(again.roots.map((r) => r.uri), [pathToFileURL(dir).href, pathToFileURL(other).href]);
  } finally {
    await h.close();
  }
});

test('server log messages reach the logger with the server name, filtered by the level asked', async () => {
  const log = recordingLogger();
  const h = host('logger', { log, logLevel: 'info' });
  try {
    await h.callTool('logger.log', { level: 'warning', message: 'disk \u001b[31malmost full' });
    await h.callTool('logger.log', { level: 'debug', message: 'chatter' });
    await waitFor(() => log.lines.some((l) => l.startsWith('warn MCP server logger/fixture [warning]: disk [31malmost full')), 'the warning in the log');
    assert.ok(!log.lines.some((l) => l.includes('chatter')), 'debug messages are below the level asked');
  } finally {
    await h.close();
  }
});

test('tools/list_changed refetches the list; listTools shows the new tool and the callback fires', async () => {
  const changed: string[] = [];
  const h = host('growing', { onToolsChanged: (server) => changed.push(server) });
  try {
    assert.ok(!(await h.listTools()).some((t) => t.name === 'growing.extra'));
    await h.callTool('growing.add_tool', { name: 'extra' });
    await waitFor(() => changed.includes('growing'), 'onToolsChanged');
    assert.ok((await h.listTools()).some((t) => t.name === 'growing.extra'));
    assert.equal((await h.callTool('growing.extra', {})).content, 'extra ran');
  } finally {
    await h.close();
  }
});

test('resources, resource templates and prompts are listed and read through the host', async () => {
  const h = host('docs');
  try {
    const resources = await h.listResources();
    assert.deepEqual(resources, [{ server: 'docs', uri: 'fixture://hello', name: 'hello', title: 'Hello', mimeType: 'text/plain' }]);
    const contents = await h.readResource('docs', 'fixture://hello');
    assert.equal((contents[0] as { text?: string }).text, 'hello from the fixture');
    const templates = await h.listResourceTemplates();
    assert.deepEqual(templates.map((t) => t.uriTemplate), ['fixture://item/{id}']);
    assert.equal(((await h.readResource('docs', 'fixture://item/7'))[0] as { text?: string }).text, 'item 7');
    const prompts = await h.listPrompts();
    assert.deepEqual(prompts.map((p) => [p.name, p.arguments.map((a) => a.name)]), [['greet', ['name']]]);
    const prompt = await h.getPrompt('docs', 'greet', { name: 'Ada' });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'Say hello to Ada' });
    await assert.rejects(h.readResource('nope', 'fixture://hello'), (e: unknown) => e instanceof ToolHostError && /no MCP server named/.test(e.message));
    await assert.rejects(h.readResource('docs', 'fixture://missing'), (e: unknown) => e instanceof ToolHostError && e.kind === 'protocol');
  } finally {
    await h.close();
  }
});
