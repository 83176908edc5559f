// The recorded model, served over HTTP on 127.0.0.1 in the OpenAI chat-completions shape, so a replay goes through
// the real model client exactly as the recorded session did. Replies are served in the order they were recorded,
// whatever was asked; the replayed trace's request hashes show whether the harness asked the same thing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RecordedCall } from './recorded.js';

export interface PlaybackServer {
  baseUrl: string;
  /** Requests answered so far. */
  served(): number;
  /** Requests that came after the recording ran out. */
  overrun(): number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function completion(call: RecordedCall, index: number, model: string): unknown {
  const { reply, usage } = call;
  return {
    id: `chatcmpl-replay-${index}`,
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text || null,
          ...(reply.toolCalls.length
            ? { tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
            : {}),
        },
        finish_reason: reply.finishReason === 'other' ? 'stop' : reply.finishReason,
      },
    ],
    // An estimate was recorded because the provider reported nothing: report nothing again.
    ...(usage.estimated
      ? {}
      : {
          usage: {
            prompt_tokens: usage.promptTokens,
            completion_tokens: usage.completionTokens,
            prompt_tokens_details: { cached_tokens: usage.cachedPromptTokens },
          },
        }),
  };
}

function drain(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startPlaybackServer(calls: RecordedCall[]): Promise<PlaybackServer> {
  let next = 0;
  let overrun = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      send(res, 404, {
        error: { message: `the replay server only answers chat completions, not ${req.method ?? '?'} ${path}`, type: 'invalid_request_error' },
      });
      return;
    }
    drain(req)
      .then((raw) => {
        const call = calls[next];
        if (!call) {
          overrun++;
          // 400 is not retried: the harness asked for more than the recording holds, and replay reports it.
          send(res, 400, {
            error: {
              message: `replay: the recording holds ${calls.length} model replies and the harness asked for another`,
              type: 'invalid_request_error',
              code: 'replay_exhausted',
            },
          });
          return;
        }
        next++;
        let model = call.model;
        try {
          model = String((JSON.parse(raw) as { model?: unknown }).model ?? model);
        } catch {
          // A body that is not JSON gets the recorded model name.
        }
        send(res, 200, completion(call, next, model));
      })
      .catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    served: () => next,
    overrun: () => overrun,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
