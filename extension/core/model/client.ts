// The model client: one retry policy, one fallback, native or text tool calling, and usage and cost for every
// reply. Everything it does over the network goes through the `openai` package with the package's retries off.
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { runAttempt, type RawReply } from './attempt.js';
import { resolveModelConfig, type ResolvedModelConfig } from './config.js';
import { DEFAULT_PRICES, costOf, usageFrom } from './cost.js';
import { modelError, type ErrorContext } from './errors.js';
import { abortableSleep, backoffDelay } from './retry.js';
import { parseTextToolCalls, rejectsNativeTools, rejectsStreamOptions, toTextProtocol, ToolCallTextFilter } from './text-protocol.js';
import { estimateMessagesTokens, estimateTokens } from './tokens.js';
import { hasImages, toWireMessages, toWireTools } from './wire.js';
import { rejectsImageInput } from './image-rejection.js';
import {
  ModelError,
  type FinishReason,
  type ModelClient,
  type ModelConfig,
  type ModelEvent,
  type ModelRequest,
  type ModelResponse,
  type ModelRole,
} from './types.js';

export interface ModelClientDeps {
  /** Waits between retries; must reject promptly when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random?: () => number;
  /** Milliseconds, for latency. */
  now?: () => number;
}

/** Sent when no key is configured: local servers ignore it, and the `openai` package insists on some key. */
const PLACEHOLDER_API_KEY = 'tiller-no-api-key';

type Protocol = 'native' | 'text';

interface Outcome {
  reply: RawReply;
  protocol: Protocol;
  promptEstimate: number;
}

function finishReasonOf(raw: string, hasToolCalls: boolean): FinishReason {
  if (raw === 'length' || raw === 'content_filter') return raw;
  if (hasToolCalls || raw === 'tool_calls' || raw === 'function_call') return 'tool_calls';
  return raw === 'stop' ? 'stop' : 'other';
}

export function createModelClient(config: ModelConfig, deps: ModelClientDeps = {}): ModelClient {
  const cfg: ResolvedModelConfig = resolveModelConfig(config, DEFAULT_PRICES);
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? (() => performance.now());
  const openai = new OpenAI({
    baseURL: cfg.baseUrl,
    apiKey: cfg.apiKey ?? PLACEHOLDER_API_KEY,
    // Never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment and send them to another provider.
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: cfg.requestTimeoutMs,
    defaultHeaders: { ...azureKeyHeader(cfg.baseUrl, cfg.apiKey), ...cfg.headers },
    defaultQuery: cfg.query,
    logLevel: 'off',
  });
  // Learned once per client: an endpoint that rejected native tools will keep rejecting them.
  let textProtocol = cfg.toolProtocol === 'text';
  let includeUsage = true;
  let nextTextCallId = 1;
  // Models that answered a request with images by refusing image input: described in text from then on, this session.
  const noImageModels = new Set<string>();

  const modelFor = (role: ModelRole): string => (role === 'small' ? cfg.smallModel : cfg.largeModel);

  function emit(request: ModelRequest, event: ModelEvent): void {
    try {
      request.onEvent?.(event);
    } catch {
      // A failing listener (UI) must not turn into a model failure that gets retried.
    }
  }

  function buildBody(model: string, request: ModelRequest, protocol: Protocol): { body: ChatCompletionCreateParamsBase; promptEstimate: number } {
    const tools = request.tools ?? [];
    const messages = protocol === 'text' ? toTextProtocol(request.messages, tools) : request.messages;
    const body: ChatCompletionCreateParamsBase = { model, messages: toWireMessages(messages, noImageModels.has(model) ? 'describe' : 'send') };
    if (protocol === 'native' && tools.length > 0) body.tools = toWireTools(tools);
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    const toolsEstimate = body.tools ? estimateTokens(JSON.stringify(body.tools)) : 0;
    return { body, promptEstimate: estimateMessagesTokens(messages) + toolsEstimate };
  }

  /** Attempts against one model until success, a non-retryable failure, or the retries run out. */
  async function withRetries(model: string, request: ModelRequest, counter: { attempts: number }): Promise<Outcome> {
    const context: ErrorContext = { baseUrl: cfg.baseUrl, model, hasApiKey: cfg.apiKey !== undefined };
    let retries = 0;
    for (;;) {
      const protocol: Protocol = textProtocol ? 'text' : 'native';
      const { body, promptEstimate } = buildBody(model, request, protocol);
      const filter = protocol === 'text' ? new ToolCallTextFilter() : undefined;
      counter.attempts++;
      const result = await runAttempt({
        openai,
        body,
        stream: cfg.stream,
        includeUsage,
        stallTimeoutMs: cfg.stallTimeoutMs,
        context,
        signal: request.signal,
        onText: (delta) => {
          const visible = filter ? filter.push(delta) : delta;
          if (visible) emit(request, { type: 'text', delta: visible });
        },
      });
      if (result.ok) {
        const rest = filter?.flush();
        if (rest) emit(request, { type: 'text', delta: rest });
        return { reply: result.reply, protocol, promptEstimate };
      }
      const { error, retryAfterMs } = result.failure;
      // Only the provider's words count: a model or host name containing "tool" must not trigger a switch.
      const providerText = error.message.split(cfg.baseUrl).join('').split(model).join('');
      if (error.kind === 'bad_request' && !noImageModels.has(model) && hasImages(request.messages) && rejectsImageInput(providerText)) {
        // Not a retry: the same request with each image described by name and size, said to the user once.
        noImageModels.add(model);
        emit(request, {
          type: 'notice',
          message: `the model ${model} does not accept images (${error.message}); images are described to it by name and size instead`,
        });
        continue;
      }
      if (
        error.kind === 'bad_request' &&
        protocol === 'native' &&
        cfg.toolProtocol === 'auto' &&
        body.tools !== undefined &&
        rejectsNativeTools(providerText)
      ) {
        // Not a retry: the same request in the form this endpoint accepts.
        textProtocol = true;
        continue;
      }
      if (error.kind === 'bad_request' && cfg.stream && includeUsage && rejectsStreamOptions(providerText)) {
        // Also not a retry; usage is then estimated unless the server reports it anyway.
        includeUsage = false;
        continue;
      }
      if (!error.retryable || retries >= cfg.maxRetries) throw error;
      const delayMs = backoffDelay(retries, { baseMs: cfg.retryBaseMs, maxMs: cfg.retryMaxMs }, random, retryAfterMs);
      retries++;
      emit(request, { type: 'retry', attempt: counter.attempts + 1, delayMs, reason: error.message });
      try {
        await sleep(delayMs, request.signal);
      } catch {
        throw modelError('cancelled', 'the model request was cancelled while waiting to retry');
      }
      if (request.signal?.aborted) throw modelError('cancelled', 'the model request was cancelled while waiting to retry');
    }
  }

  function respond(outcome: Outcome, model: string, started: number, attempts: number, usedFallback: boolean): ModelResponse {
    const { reply, protocol } = outcome;
    let text = reply.text;
    let toolCalls = reply.toolCalls;
    if (protocol === 'text') {
      const parsed = parseTextToolCalls(reply.text, nextTextCallId);
      nextTextCallId += parsed.toolCalls.length;
      text = parsed.text;
      toolCalls = [...reply.toolCalls, ...parsed.toolCalls];
    }
    const completionEstimate = estimateTokens(reply.text) + reply.toolCalls.reduce((n, c) => n + estimateTokens(c.name) + estimateTokens(c.arguments), 0);
    const usage = usageFrom(reply.usage, { promptTokens: outcome.promptEstimate, completionTokens: completionEstimate });
    return {
      text,
      toolCalls,
      finishReason: finishReasonOf(reply.finishReason, toolCalls.length > 0),
      usage,
      costUsd: costOf(cfg.prices, model, usage),
      model,
      latencyMs: now() - started,
      attempts,
      usedFallback,
      toolProtocol: protocol,
    };
  }

  async function complete(request: ModelRequest): Promise<ModelResponse> {
    const started = now();
    const primary = modelFor(request.role);
    const counter = { attempts: 0 };
    try {
      return respond(await withRetries(primary, request, counter), primary, started, counter.attempts, false);
    } catch (error) {
      const fallback = cfg.fallbackModel;
      const canFallBack = error instanceof ModelError && (error.kind === 'not_found' || error.retryable);
      if (!canFallBack || fallback === undefined || fallback === primary) throw error;
      emit(request, { type: 'fallback', from: primary, to: fallback, reason: error.message });
      return respond(await withRetries(fallback, request, counter), fallback, started, counter.attempts, true);
    }
  }

  return {
    complete,
    modelFor,
    estimateCost: (role, promptTokens, completionTokens) => costOf(cfg.prices, modelFor(role), { promptTokens, completionTokens, cachedPromptTokens: 0 }),
  };
}

/** Azure OpenAI authenticates keys with an `api-key` header rather than a bearer token; send it for Azure hosts only,
 * so the key lives in SecretStorage instead of a plain `tiller.headers` setting. */
export function azureKeyHeader(baseUrl: string, apiKey: string | undefined): Record<string, string> {
  if (!apiKey) return {};
  const host = new URL(baseUrl).hostname;
  return /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i.test(host) ? { 'api-key': apiKey } : {};
}
