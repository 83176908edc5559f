import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTextToolCalls, rejectsNativeTools, toTextProtocol, ToolCallTextFilter, toolsPrompt } from '../../../extension/core/model/text-protocol.js';
import type { ChatMessage, ToolDefinition } from '../../../extension/core/model/types.js';

const tools: ToolDefinition[] = [
  { name: 'read_file', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  { name: 'run', description: 'Run a command.', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } },
];

void test('the tools prompt names each tool with its description and schema, and the block format', () => {
  const prompt = toolsPrompt(tools);
  assert.match(prompt, /### read_file\nRead a file\./);
  assert.ok(prompt.includes('"required": [\n    "path"\n  ]'));
  assert.ok(prompt.includes('<tool_call>{"name": "TOOL_NAME", "arguments": {...}}</tool_call>'));
});

void test('parses several calls and strips them from the text', () => {
  const reply = 'First I read.\n<tool_call>{"name": "read_file", "arguments": {"path": "a.ts"}}</tool_call>\nThen run:\n<tool_call>\n{"name":"run","arguments":{"cmd":"npm test"}}\n</tool_call>';
  const parsed = parseTextToolCalls(reply, 5);
  assert.equal(parsed.text, 'First I read.\n\nThen run:');
  assert.deepEqual(parsed.toolCalls, [
    { id: 'text_call_5', name: 'read_file', arguments: '{"path":"a.ts"}' },
    { id: 'text_call_6', name: 'run', arguments: '{"cmd":"npm test"}' },
  ]);
});

void test('text without blocks is unchanged', () => {
  assert.deepEqual(parseTextToolCalls('  just an answer \n'), { text: '  just an answer \n', toolCalls: [] });
});

void test('a malformed block becomes a call carrying the raw text, so the harness can report the JSON error', () => {
  const parsed = parseTextToolCalls('<tool_call>{"name": "read_file", "arguments": {"path": "a.ts"</tool_call>');
  assert.equal(parsed.toolCalls.length, 1);
  assert.equal(parsed.toolCalls[0]?.name, 'read_file');
  assert.equal(parsed.toolCalls[0]?.arguments, '{"name": "read_file", "arguments": {"path": "a.ts"');
  assert.throws(() => JSON.parse(parsed.toolCalls[0]?.arguments ?? ''));
  const nameless = parseTextToolCalls('<tool_call>not json at all</tool_call>');
  assert.deepEqual(nameless.toolCalls[0], { id: 'text_call_1', name: 'invalid_tool_call', arguments: 'not json at all' });
});

void test('an unclosed block at the end (reply cut off) is still returned, as malformed', () => {
  const parsed = parseTextToolCalls('ok <tool_call>{"name":"run","argu');
  assert.equal(parsed.text, 'ok');
  assert.equal(parsed.toolCalls[0]?.arguments, '{"name":"run","argu');
});

void test('string arguments are kept verbatim; missing arguments become {}', () => {
  const parsed = parseTextToolCalls('<tool_call>{"name":"run","arguments":"{\\"cmd\\":\\"ls\\"}"}</tool_call><tool_call>{"name":"run"}</tool_call>');
  assert.deepEqual(parsed.toolCalls.map((c) => c.arguments), ['{"cmd":"ls"}', '{}']);
});

void test('history round trip: calls and results in text form parse back to the same calls', () => {
  const history: ChatMessage[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Look at a.ts and run tests' },
    {
      role: 'assistant',
      content: 'Sure.',
      toolCalls: [
        { id: 'text_call_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { id: 'text_call_2', name: 'run', arguments: '{"cmd":"npm test"}' },
      ],
    },
    { role: 'tool', toolCallId: 'text_call_1', content: 'export {}' },
    { role: 'tool', toolCallId: 'text_call_2', content: 'ok' },
  ];
  const converted = toTextProtocol(history, tools);
  assert.equal(converted.length, 4, 'the two results merge into one user message');
  assert.deepEqual(converted.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
  assert.match(converted[0]?.content ?? '', /^Be brief\.\n\n## Tools/);
  const assistant = converted[2];
  assert.ok(assistant?.role === 'assistant' && assistant.toolCalls === undefined);
  const reparsed = parseTextToolCalls(assistant.content ?? '');
  assert.equal(reparsed.text, 'Sure.');
  assert.deepEqual(reparsed.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]), [['read_file', { path: 'a.ts' }], ['run', { cmd: 'npm test' }]]);
  assert.equal(converted[3]?.content, '<tool_result id="text_call_1">\nexport {}\n</tool_result>\n\n<tool_result id="text_call_2">\nok\n</tool_result>');
});

void test('without a system message one is added for the tools', () => {
  const converted = toTextProtocol([{ role: 'user', content: 'hi' }], tools);
  assert.equal(converted[0]?.role, 'system');
  assert.match(converted[0]?.content ?? '', /## Tools/);
  assert.deepEqual(toTextProtocol([{ role: 'user', content: 'hi' }], []), [{ role: 'user', content: 'hi' }]);
});

void test('the stream filter hides blocks even when tags are split across deltas', () => {
  const filter = new ToolCallTextFilter();
  const deltas = ['Let me ', 'look.<to', 'ol_call>{"name":"x"', ',"arguments":{}}</tool_', 'call> Done <', 'b>'];
  const shown = deltas.map((d) => filter.push(d)).join('') + filter.flush();
  assert.equal(shown, 'Let me look. Done <b>');
  const open = new ToolCallTextFilter();
  assert.equal(open.push('a <tool_call>{"name"') + open.flush(), 'a ');
});

void test('recognises an endpoint refusing native tools', () => {
  assert.ok(rejectsNativeTools('tools not supported'));
  assert.ok(rejectsNativeTools('This model does not support function calling'));
  assert.ok(rejectsNativeTools('"tool_choice" is not allowed'));
  assert.ok(!rejectsNativeTools('max_tokens is too large'));
});
