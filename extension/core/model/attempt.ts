// One HTTP attempt at a chat completion: send, read (streamed or not), and either return the complete reply or a
// classified failure. Retries, fallback and protocol choice live in client.ts.
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { WireUsage } from './cost.js';
import { classifyError, htmlAnswerMessage, looksLikeHtml, modelError, type ErrorContext, type Failure } from './errors.js';
import { headersRetryAfter } from './retry.js';
import { readStream } from './stream.js';
import { fromWireToolCalls } from './wire.js';
import { ModelError, type ToolCall } from './types.js';

/** Far above any real reply (max_tokens caps those); a bound so a broken or hostile endpoint cannot exhaust memory. */
const MAX_REPLY_CHARS = 8_000_000;

export interface AttemptInput {
  openai: OpenAI;
  body: ChatCompletionCreateParamsBase;
  stream: boolean;
  /** Ask for the trailing usage chunk (`stream_options`); off for servers that reject the field. */
  includeUsage: boolean;
  stallTimeoutMs: number;
  context: ErrorContext;
  /** The caller's cancellation. */
  signal: AbortSignal | undefined;
  onText: (delta: string) => void;
}

export interface RawReply {
  text: string;
  toolCalls: ToolCall[];
  finishReason: string;
  usage: WireUsage | undefined;
}

export type AttemptResult = { ok: true; reply: RawReply } | { ok: false; failure: Failure };

function failed(error: ReturnType<typeof modelError>): AttemptResult {
  return { ok: false, failure: { error } };
}

export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  const { context, signal } = input;
  if (signal?.aborted) return failed(modelError('cancelled', 'the model request was cancelled'));
  const controller = new AbortController();
  const onCancel = () => controller.abort();
  signal?.addEventListener('abort', onCancel, { once: true });
  let stalled = false;
  const stallError = () => modelError('stalled', `the stream from ${context.baseUrl} went silent for ${input.stallTimeoutMs} ms`);
  try {
    const reply = input.stream
      ? await streamed(input, controller, () => {
          stalled = true;
          controller.abort();
        })
      : await whole(input, controller);
    if (stalled) return failed(stallError());
    if (signal?.aborted) return failed(modelError('cancelled', 'the model request was cancelled'));
    return reply;
  } catch (error) {
    if (stalled) return failed(stallError());
    if (signal?.aborted) return failed(modelError('cancelled', 'the model request was cancelled'));
    return { ok: false, failure: classifyError(error, context, (h) => headersRetryAfter(h, Date.now())) };
  } finally {
    signal?.removeEventListener('abort', onCancel);
  }
}

function contentTypeProblem(response: Response, baseUrl: string): AttemptResult | undefined {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('html')) return failed(modelError('bad_response', htmlAnswerMessage(baseUrl), response.status));
  return undefined;
}

function isJson(response: Response): boolean {
  return /\bjson\b/i.test(response.headers.get('content-type') ?? '');
}

async function streamed(input: AttemptInput, controller: AbortController, onStall: () => void): Promise<AttemptResult> {
  const body = { ...input.body, stream: true as const, ...(input.includeUsage ? { stream_options: { include_usage: true } } : {}) };
  const { data: stream, response } = await input.openai.chat.completions.create(body, { signal: controller.signal }).withResponse();
  const problem = contentTypeProblem(response, input.context.baseUrl);
  if (problem) {
    controller.abort();
    return problem;
  }
  // Some servers ignore `stream: true` and answer one JSON completion; the stream has not read the body yet.
  if (isJson(response)) return fromCompletion(await response.json(), input, response.status);
  let reply;
  try {
    reply = await readStream(stream, { stallTimeoutMs: input.stallTimeoutMs, maxChars: MAX_REPLY_CHARS, onStall, onText: input.onText });
  } catch (error) {
    if (controller.signal.aborted) throw error;
    if (error instanceof ModelError) return failed(error);
    // The body broke off (socket closed, bad chunk): the reply is incomplete whatever it already contained.
    const failure = classifyError(error, input.context, () => undefined);
    if (failure.error.kind === 'network') {
      return failed(modelError('stream_cut', `the stream from ${input.context.baseUrl} broke off before the reply was complete (${failure.error.message})`));
    }
    return { ok: false, failure };
  }
  if (controller.signal.aborted) return failed(modelError('cancelled', 'the model request was cancelled'));
  if (reply.finishReason === undefined) {
    // Never hand back a partial reply: a half-received tool call could be executed with truncated arguments.
    return failed(modelError('stream_cut', `the stream from ${input.context.baseUrl} ended before the reply was complete`));
  }
  return { ok: true, reply: { ...reply, finishReason: reply.finishReason } };
}

async function whole(input: AttemptInput, controller: AbortController): Promise<AttemptResult> {
  const { data, response } = await input.openai.chat.completions.create({ ...input.body, stream: false }, { signal: controller.signal }).withResponse();
  const problem = contentTypeProblem(response, input.context.baseUrl);
  if (problem) return problem;
  return fromCompletion(data, input, response.status);
}

/** A whole (non-streamed) completion, checked for shape: the body comes from a server we do not trust. */
function fromCompletion(data: unknown, input: AttemptInput, status: number): AttemptResult {
  const baseUrl = input.context.baseUrl;
  if (typeof data !== 'object' || data === null) {
    const text = String(data);
    const message = looksLikeHtml(text)
      ? htmlAnswerMessage(baseUrl)
      : `the endpoint at ${baseUrl} answered something that is not JSON: is the base URL right (it usually ends in /v1)?`;
    return failed(modelError('bad_response', message, status));
  }
  const completion = data as Partial<ChatCompletion>;
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice?.message || typeof choice.message !== 'object') {
    return failed(modelError('bad_response', `the endpoint at ${baseUrl} answered JSON without choices[0].message: not an OpenAI chat completion`, status));
  }
  const text = typeof choice.message.content === 'string' ? choice.message.content : '';
  const toolCalls = fromWireToolCalls(Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : undefined);
  if (text.length + toolCalls.reduce((n, c) => n + c.arguments.length, 0) > MAX_REPLY_CHARS) {
    return failed(modelError('bad_response', `the reply from ${baseUrl} is larger than ${MAX_REPLY_CHARS} characters; refusing it`, status));
  }
  if (text) input.onText(text);
  return { ok: true, reply: { text, toolCalls, finishReason: choice.finish_reason ?? 'stop', usage: completion.usage ?? undefined } };
}
