// The model client against the real fixture server on 127.0.0.1, through the real `openai` package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createModelClient, type ModelClientDeps } from '../../../extension/core/model/client.js';
import { ModelError, type ModelConfig, type ModelEvent, type ToolDefinition } from '../../../extension/core/model/types.js';
import { startModelServer, type ModelServer, type ModelServerOptions } from '../../fixtures/model-server.js';

const readFile: ToolDefinition = {
  name: 'read_file',
  description: 'Read a file from the workspace.',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

async function withServer(options: ModelServerOptions, run: (server: ModelServer) => Promise<void>): Promise<void> {
  const server = await startModelServer(options);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

/** Deps that never wait: the delays the client asked for are recorded instead. */
function recordingDeps(): ModelClientDeps & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      delays.push(ms);
      if (signal?.aborted) throw new Error('aborted');
    },
  };
}

function config(server: ModelServer, extra: Partial<ModelConfig> = {}): ModelConfig {
  return { baseUrl: server.baseUrl, largeModel: 'fixture-large', smallModel: 'fixture-small', ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

void test('streams text and a tool call split across chunks, with the usage the server reported', async () => {
  await withServer(
    { script: [{ text: 'I will read the file first.', toolCalls: [{ name: 'read_file', arguments: { path: 'src/index.ts' } }] }] },
    async (server) => {
      const events: ModelEvent[] = [];
      const client = createModelClient(config(server));
      const response = await client.complete({
        role: 'large',
        messages: [{ role: 'system', content: 'You are a coding agent.' }, { role: 'user', content: 'Show me the entry point.' }],
        tools: [readFile],
        onEvent: (e) => events.push(e),
      });
      assert.equal(response.text, 'I will read the file first.');
      const textEvents = events.filter((e) => e.type === 'text');
      assert.ok(textEvents.length > 1, 'text arrives in several deltas');
      assert.equal(textEvents.map((e) => (e.type === 'text' ? e.delta : '')).join(''), response.text);
      assert.equal(response.toolCalls.length, 1);
      assert.equal(response.toolCalls[0]?.name, 'read_file');
      assert.deepEqual(JSON.parse(response.toolCalls[0]?.arguments ?? ''), { path: 'src/index.ts' });
      assert.ok(response.toolCalls[0]?.id.startsWith('call_'));
      assert.equal(response.finishReason, 'tool_calls');
      assert.equal(response.toolProtocol, 'native');
      assert.equal(response.attempts, 1);
      assert.equal(response.usedFallback, false);
      assert.equal(response.model, 'fixture-large');
      const body = server.requests[0]?.body;
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.equal(body.tools[0].function.name, 'read_file');
      const reported = server.reported[0];
      assert.ok(reported);
      assert.deepEqual(response.usage, {
        promptTokens: reported.prompt_tokens,
        completionTokens: reported.completion_tokens,
        cachedPromptTokens: reported.cached_tokens,
        estimated: false,
      });
    },
  );
});

void test('sends history in wire form: tool_calls and tool_call_id', async () => {
  await withServer({ script: [{ text: 'done' }] }, async (server) => {
    const client = createModelClient(config(server));
    await client.complete({
      role: 'small',
      messages: [
        { role: 'user', content: 'read it' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a"}' }] },
        { role: 'tool', toolCallId: 'call_1', content: 'contents' },
      ],
      tools: [readFile],
    });
    const messages = server.requests[0]?.body.messages;
    assert.equal(server.requests[0]?.body.model, 'fixture-small');
    assert.deepEqual(messages[1].tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }]);
    assert.deepEqual(messages[2], { role: 'tool', tool_call_id: 'call_1', content: 'contents' });
  });
});

void test('non-streamed usage equals the server-reported usage exactly, cached tokens priced as cached', async () => {
  await withServer({ script: [{ text: 'short answer', usage: { prompt_tokens: 1200, completion_tokens: 34, cached_tokens: 1000 } }] }, async (server) => {
    const client = createModelClient(
      config(server, { stream: false, prices: { 'fixture-large': { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 } } }),
    );
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(server.requests[0]?.body.stream, false);
    assert.deepEqual(response.usage, { promptTokens: 1200, completionTokens: 34, cachedPromptTokens: 1000, estimated: false });
    assert.equal(response.costUsd, (200 * 2 + 1000 * 0.5 + 34 * 8) / 1e6);
    assert.equal(response.text, 'short answer');
  });
});

void test('a provider that reports no usage gets an estimate marked as such', async () => {
  await withServer({ script: [{ text: 'abcdefgh', omitUsage: true }] }, async (server) => {
    const client = createModelClient(config(server));
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'x'.repeat(40) }] });
    assert.equal(response.usage.estimated, true);
    assert.equal(response.usage.completionTokens, 2);
    assert.ok(response.usage.promptTokens >= 10);
    assert.equal(server.reported.length, 0);
  });
});

void test('429 with retry-after is retried after at least the server-given delay', async () => {
  await withServer({ script: [{ fault: { type: 'status', status: 429, retryAfterSeconds: 3 } }, { text: 'hi' }] }, async (server) => {
    const deps = recordingDeps();
    const events: ModelEvent[] = [];
    const client = createModelClient(config(server, { retryBaseMs: 100 }), deps);
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }], onEvent: (e) => events.push(e) });
    assert.equal(response.text, 'hi');
    assert.equal(response.attempts, 2);
    assert.equal(server.served(), 2);
    assert.deepEqual(deps.delays, [3000]);
    const retry = events.find((e) => e.type === 'retry');
    assert.ok(retry && retry.type === 'retry' && retry.delayMs === 3000 && retry.attempt === 2);
  });
});

void test('two 500s then success: retried with jittered backoff', async () => {
  await withServer(
    { script: [{ fault: { type: 'status', status: 500 } }, { fault: { type: 'status', status: 503 } }, { text: 'recovered' }] },
    async (server) => {
      const deps = recordingDeps();
      const client = createModelClient(config(server, { retryBaseMs: 100, retryMaxMs: 1000 }), deps);
      const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] });
      assert.equal(response.text, 'recovered');
      assert.equal(response.attempts, 3);
      assert.equal(server.served(), 3);
      assert.deepEqual(deps.delays, [50, 100]); // random() = 0.5 of 100 and of 200
    },
  );
});

void test('retries run out: the last retryable error is thrown', async () => {
  await withServer({ script: Array.from({ length: 3 }, () => ({ fault: { type: 'status' as const, status: 502 } })) }, async (server) => {
    const client = createModelClient(config(server, { maxRetries: 2 }), recordingDeps());
    const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 502);
    assert.equal(server.served(), 3);
  });
});

void test('a spend-limit 429 is never retried', async () => {
  await withServer(
    { script: [{ fault: { type: 'status', status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota, please check your plan and billing details.' } }, { text: 'never' }] },
    async (server) => {
      const deps = recordingDeps();
      const client = createModelClient(config(server), deps);
      const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
      assert.equal(error.kind, 'spend_limit');
      assert.equal(error.retryable, false);
      assert.equal(server.served(), 1);
      assert.deepEqual(deps.delays, []);
    },
  );
});

void test('401 is not retried and the message is about the API key', async () => {
  await withServer({ script: [{ text: 'never' }], apiKey: 'sk-right' }, async (server) => {
    const client = createModelClient(config(server, { apiKey: 'sk-wrong', fallbackModel: 'fixture-fallback' }), recordingDeps());
    const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /API key/);
    assert.equal(server.served(), 1);
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer sk-wrong');
  });
});

void test('no API key configured: a placeholder is sent and a keyless server answers', async () => {
  await withServer({ script: [{ text: 'local' }] }, async (server) => {
    const client = createModelClient(config(server));
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(response.text, 'local');
    assert.match(String(server.requests[0]?.headers.authorization), /^Bearer \S+/);
  });
});

void test('an unknown model falls back to the fallback model', async () => {
  await withServer({ script: [{ text: 'from the fallback' }] }, async (server) => {
    const events: ModelEvent[] = [];
    const client = createModelClient(config(server, { largeModel: 'no-such-model', fallbackModel: 'fixture-fallback' }), recordingDeps());
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }], onEvent: (e) => events.push(e) });
    assert.equal(response.text, 'from the fallback');
    assert.equal(response.usedFallback, true);
    assert.equal(response.model, 'fixture-fallback');
    assert.equal(response.attempts, 2);
    assert.deepEqual(server.requests.map((r) => r.body.model), ['no-such-model', 'fixture-fallback']);
    const fallback = events.find((e) => e.type === 'fallback');
    assert.ok(fallback && fallback.type === 'fallback' && fallback.from === 'no-such-model' && fallback.to === 'fixture-fallback');
  });
});

void test('an unknown model without a fallback names the model and the base URL', async () => {
  await withServer({ script: [] }, async (server) => {
    const client = createModelClient(config(server, { largeModel: 'no-such-model' }), recordingDeps());
    const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
    assert.equal(error.kind, 'not_found');
    assert.ok(error.message.includes('no-such-model') && error.message.includes(server.baseUrl));
    assert.equal(server.served(), 1);
  });
});

for (const stream of [true, false]) {
  void test(`an endpoint answering HTML is a bad_response about the base URL (stream: ${stream})`, async () => {
    await withServer({ script: [{ fault: { type: 'html' } }] }, async (server) => {
      const client = createModelClient(config(server, { stream }), recordingDeps());
      const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
      assert.equal(error.kind, 'bad_response');
      assert.match(error.message, /answered HTML, not the OpenAI API: is the base URL right \(it usually ends in \/v1\)\?/);
      assert.ok(error.message.includes(server.baseUrl));
      assert.equal(server.served(), 1);
    });
  });
}

void test('an HTML 404 page (base URL without /v1) is a bad_response', async () => {
  await withServer({ script: [{ fault: { type: 'html', status: 404 } }] }, async (server) => {
    const client = createModelClient(config(server), recordingDeps());
    const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
    assert.equal(error.kind, 'bad_response');
    assert.match(error.message, /answered HTML/);
  });
});

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  assert.ok(address && typeof address === 'object');
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${address.port}/v1`;
}

void test('connection refused is a retryable network error naming the URL', async () => {
  const baseUrl = await closedPortUrl();
  const deps = recordingDeps();
  const client = createModelClient({ baseUrl, largeModel: 'fixture-large', maxRetries: 2 }, deps);
  const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
  assert.equal(error.kind, 'network');
  assert.equal(error.retryable, true);
  assert.ok(error.message.includes(baseUrl), error.message);
  assert.match(error.message, /refused/);
  assert.equal(deps.delays.length, 2);
});

void test('a reset connection is retried', async () => {
  await withServer({ script: [{ fault: { type: 'reset' } }, { text: 'after reset' }] }, async (server) => {
    const client = createModelClient(config(server), recordingDeps());
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(response.text, 'after reset');
    assert.equal(response.attempts, 2);
  });
});

void test('a stream cut mid tool call is retried and the partial call never surfaces', async () => {
  await withServer(
    {
      script: [
        { fault: { type: 'cut', after: 'tool_call' }, toolCalls: [{ name: 'write_file', arguments: { path: 'partial.ts', content: 'x'.repeat(200) } }] },
        { toolCalls: [{ name: 'read_file', arguments: { path: 'whole.ts' } }] },
      ],
    },
    async (server) => {
      const events: ModelEvent[] = [];
      const client = createModelClient(config(server), recordingDeps());
      const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }], tools: [readFile], onEvent: (e) => events.push(e) });
      assert.equal(response.attempts, 2);
      assert.deepEqual(response.toolCalls.map((c) => c.name), ['read_file']);
      assert.deepEqual(JSON.parse(response.toolCalls[0]?.arguments ?? ''), { path: 'whole.ts' });
      const retry = events.find((e) => e.type === 'retry');
      assert.ok(retry && retry.type === 'retry' && /stream/.test(retry.reason));
    },
  );
});

void test('a stream cut with no retries left is a stream_cut error, never a partial reply', async () => {
  await withServer({ script: [{ fault: { type: 'cut', after: 'tool_call' } }] }, async (server) => {
    const client = createModelClient(config(server, { maxRetries: 0 }), recordingDeps());
    const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }], tools: [readFile] }));
    assert.equal(error.kind, 'stream_cut');
    assert.equal(error.retryable, true);
    assert.equal('toolCalls' in error, false);
    assert.equal(server.served(), 1);
  });
});

void test('a stream cut mid text is retried; the retry event lets the listener drop the partial text', async () => {
  await withServer({ script: [{ fault: { type: 'cut', after: 'text' } }, { text: 'complete answer' }] }, async (server) => {
    let shown = '';
    const client = createModelClient(config(server), recordingDeps());
    const response = await client.complete({
      role: 'large',
      messages: [{ role: 'user', content: 'go' }],
      onEvent: (e) => {
        if (e.type === 'retry') shown = '';
        if (e.type === 'text') shown += e.delta;
      },
    });
    assert.equal(response.text, 'complete answer');
    assert.equal(shown, 'complete answer');
    assert.equal(server.served(), 2);
  });
});

void test('a stalled stream is aborted as stalled and retried', async () => {
  await withServer({ script: [{ fault: { type: 'stall', afterChunks: 2, ms: 60_000 } }, { text: 'not stalled' }] }, async (server) => {
    const events: ModelEvent[] = [];
    const client = createModelClient(config(server, { stallTimeoutMs: 200 }), recordingDeps());
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }], onEvent: (e) => events.push(e) });
    assert.equal(response.text, 'not stalled');
    assert.equal(response.attempts, 2);
    const retry = events.find((e) => e.type === 'retry');
    assert.ok(retry && retry.type === 'retry' && /silent/.test(retry.reason));
  });
});

void test('a stalled stream with no retries left is a stalled error', async () => {
  await withServer({ script: [{ fault: { type: 'stall', ms: 60_000 } }] }, async (server) => {
    const client = createModelClient(config(server, { stallTimeoutMs: 200, maxRetries: 0 }), recordingDeps());
    const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }] }));
    assert.equal(error.kind, 'stalled');
  });
});

void test('cancelling mid-stream rejects with cancelled and makes no further attempt', async () => {
  await withServer({ script: [{ fault: { type: 'stall', afterChunks: 2, ms: 60_000 } }, { text: 'never' }] }, async (server) => {
    const controller = new AbortController();
    const client = createModelClient(config(server), recordingDeps());
    const error = await rejection(
      client.complete({
        role: 'large',
        messages: [{ role: 'user', content: 'go' }],
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'text') controller.abort();
        },
      }),
    );
    assert.equal(error.kind, 'cancelled');
    assert.equal(server.served(), 1);
  });
});

void test('cancelling during the backoff wait rejects with cancelled', async () => {
  await withServer({ script: [{ fault: { type: 'status', status: 500 } }, { text: 'never' }] }, async (server) => {
    const controller = new AbortController();
    // Real (abortable) sleep with a long backoff: only cancellation can end the wait.
    const client = createModelClient(config(server, { retryBaseMs: 600_000, retryMaxMs: 600_000 }), { random: () => 0.99 });
    const error = await rejection(
      client.complete({
        role: 'large',
        messages: [{ role: 'user', content: 'go' }],
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'retry') setImmediate(() => controller.abort());
        },
      }),
    );
    assert.equal(error.kind, 'cancelled');
    assert.equal(server.served(), 1);
  });
});

void test('an endpoint without native tools: auto switches to the text protocol and parses the call', async () => {
  await withServer(
    {
      nativeTools: false,
      script: [
        { text: 'Let me look.\n<tool_call>{"name": "read_file", "arguments": {"path": "a.ts"}}</tool_call>' },
        { text: '<tool_call>{"name": "read_file", "arguments": {"path": "b.ts"}}</tool_call>' },
      ],
    },
    async (server) => {
      const events: ModelEvent[] = [];
      const client = createModelClient(config(server), recordingDeps());
      const messages = [{ role: 'system' as const, content: 'You are a coding agent.' }, { role: 'user' as const, content: 'Read a.ts' }];
      const response = await client.complete({ role: 'large', messages, tools: [readFile], onEvent: (e) => events.push(e) });
      assert.equal(response.toolProtocol, 'text');
      assert.equal(response.text, 'Let me look.');
      assert.deepEqual(response.toolCalls, [{ id: 'text_call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }]);
      assert.equal(response.finishReason, 'tool_calls');
      const shown = events.map((e) => (e.type === 'text' ? e.delta : '')).join('');
      assert.ok(!shown.includes('<tool_call>'), `streamed text hides the block: ${shown}`);
      assert.equal(server.served(), 2);
      const textRequest = server.requests[1]?.body;
      assert.equal(textRequest.tools, undefined);
      assert.match(textRequest.messages[0].content, /You are a coding agent\.[\s\S]*<tool_call>[\s\S]*### read_file/);

      // Remembered: the next call goes straight to the text protocol, and history is sent in text form.
      const second = await client.complete({
        role: 'large',
        messages: [
          ...messages,
          { role: 'assistant', content: 'Let me look.', toolCalls: response.toolCalls },
          { role: 'tool', toolCallId: 'text_call_1', content: 'export const a = 1;' },
        ],
        tools: [readFile],
      });
      assert.equal(server.served(), 3);
      assert.deepEqual(second.toolCalls.map((c) => c.id), ['text_call_2']);
      const history = server.requests[2]?.body.messages;
      assert.equal(history.some((m: { role: string }) => m.role === 'tool'), false);
      assert.match(history[2].content, /<tool_call>\{"name":"read_file","arguments":\{"path":"a.ts"\}\}<\/tool_call>/);
      assert.match(history[3].content, /<tool_result id="text_call_1">\nexport const a = 1;\n<\/tool_result>/);
    },
  );
});

void test('GET /models on the fixture lists the known models', async () => {
  await withServer({ script: [], models: ['m1', 'm2'] }, async (server) => {
    const res = await fetch(`${server.baseUrl}/models`);
    const body = (await res.json()) as { data: { id: string }[] };
    assert.deepEqual(body.data.map((m) => m.id), ['m1', 'm2']);
  });
});

void test('an exhausted script answers 500 "script exhausted"', async () => {
  await withServer({ script: [] }, async (server) => {
    const client = createModelClient(config(server, { maxRetries: 0 }), recordingDeps());
    const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'hello' }] }));
    assert.equal(error.kind, 'server');
    assert.match(error.message, /script exhausted/);
  });
});

void test('config errors name the field', () => {
  assert.throws(() => createModelClient({ baseUrl: 'localhost:1234', largeModel: 'm' }), (e: unknown) => e instanceof ModelError && e.kind === 'config' && /baseUrl/.test(e.message));
  assert.throws(() => createModelClient({ baseUrl: 'http://localhost:1234/v1', largeModel: ' ' }), (e: unknown) => e instanceof ModelError && e.kind === 'config' && /largeModel/.test(e.message));
});

void test('no response headers within requestTimeoutMs counts as stalled and is retried', async () => {
  await withServer({ script: [{ text: 'late', delayMs: 60_000 }, { text: 'on time' }] }, async (server) => {
    const client = createModelClient(config(server, { requestTimeoutMs: 200 }), recordingDeps());
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }] });
    assert.equal(response.text, 'on time');
    assert.equal(response.attempts, 2);
  });
});

void test('a server that rejects stream_options is asked again without it, once for the client', async () => {
  await withServer(
    {
      script: (request) =>
        request.body.stream_options
          ? { fault: { type: 'status', status: 400, message: 'Unknown parameter: stream_options is not supported' } }
          : { text: 'no usage here' },
    },
    async (server) => {
      const client = createModelClient(config(server), recordingDeps());
      const first = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }] });
      assert.equal(first.text, 'no usage here');
      assert.equal(first.usage.estimated, true);
      await client.complete({ role: 'large', messages: [{ role: 'user', content: 'again' }] });
      assert.deepEqual(server.requests.map((r) => r.body.stream_options !== undefined), [true, false, false]);
    },
  );
});

void test('a 400 about a bad tool schema does not switch to the text protocol', async () => {
  await withServer(
    { script: [{ fault: { type: 'status', status: 400, message: "Invalid schema for function 'read_file': 'object' is not valid under any of the given schemas." } }] },
    async (server) => {
      const client = createModelClient(config(server), recordingDeps());
      const error = await rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }], tools: [readFile] }));
      assert.equal(error.kind, 'bad_request');
      assert.equal(server.served(), 1);
    },
  );
});

void test('toolProtocol text never sends tools, even to an endpoint that supports them', async () => {
  await withServer({ script: [{ text: 'plain answer' }] }, async (server) => {
    const client = createModelClient(config(server, { toolProtocol: 'text' }), recordingDeps());
    const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }], tools: [readFile] });
    assert.equal(response.toolProtocol, 'text');
    assert.deepEqual(response.toolCalls, []);
    assert.equal(response.finishReason, 'stop');
    assert.equal(server.requests[0]?.body.tools, undefined);
  });
});

void test('the primary model exhausting its retries on a retryable error falls back once', async () => {
  await withServer(
    { script: [{ fault: { type: 'status', status: 503 } }, { fault: { type: 'status', status: 503 } }, { text: 'fallback answer' }] },
    async (server) => {
      const client = createModelClient(config(server, { maxRetries: 1, fallbackModel: 'fixture-fallback' }), recordingDeps());
      const response = await client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }] });
      assert.equal(response.text, 'fallback answer');
      assert.equal(response.usedFallback, true);
      assert.equal(response.model, 'fixture-fallback');
      assert.equal(response.attempts, 3);
      assert.deepEqual(server.requests.map((r) => r.body.model), ['fixture-large', 'fixture-large', 'fixture-fallback']);
    },
  );
});

void test('cancelling while waiting for the response headers rejects with cancelled', async () => {
  await withServer({ script: [{ text: 'too late', delayMs: 60_000 }] }, async (server) => {
    const controller = new AbortController();
    const client = createModelClient(config(server), recordingDeps());
    const pending = rejection(client.complete({ role: 'large', messages: [{ role: 'user', content: 'go' }], signal: controller.signal }));
    while (server.served() === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await pending;
    assert.equal(error.kind, 'cancelled');
    assert.equal(server.served(), 1);
  });
});
