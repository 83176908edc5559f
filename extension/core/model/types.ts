// The model layer's contract. Messages keep OpenAI's chat-completions shape (camelCased) because every provider
// Tiller targets speaks it; the client converts at the wire.

export type ModelRole = 'large' | 'small';

/** A tool call as the model produced it. `arguments` is the raw JSON text: it is parsed and validated by the
 * harness, never trusted. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Who put a message into the history, so later layers (compaction, the context inspector, the transcript) recognise
 * it by this tag rather than by a prefix of its text. Never sent to the provider.
 * - `task`: the user's task text (or a slash command's expansion); `reply`: the user's later words (answers, notes)
 * - `plan-approved`: the harness's note that the user approved the plan; `resumed`: its note that a session resumed
 * - `task-record`, `summary`: what compaction keeps in place of what it drops
 * - `observation`: what the harness observed after an action (diagnostics an edit introduced, a check's digest)
 * - `hook`: context a lifecycle hook added; `skill`: a skill's body the model loaded
 * - `tool-image`: images an MCP tool returned, in the user message after the tool results (tool messages carry text only)
 */
export type MessageOrigin = 'task' | 'reply' | 'plan-approved' | 'resumed' | 'task-record' | 'summary' | 'observation' | 'hook' | 'skill' | 'tool-image';

/**
 * An image attached to a user message. Stored by reference (a file under `$TILLER_HOME`), never inline, in
 * sessions and traces; the client reads and encodes it as an `image_url` content part when it sends the message.
 */
export interface ImageAttachment {
  /** Absolute path of the stored copy. */
  path: string;
  mimeType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  bytes: number;
  /** What the user or tool called it (a file name), for the transcript and for models that take no images. */
  name: string;
  width?: number;
  height?: number;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; origin?: MessageOrigin; images?: ImageAttachment[] }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** JSON Schema object as MCP and OpenAI both use it. */
export type JsonSchema = Record<string, unknown>;

export interface ToolDefinition {
  /** Model-facing name: `[a-zA-Z0-9_-]{1,64}` (see model/tool-names.ts for the mapping to `server.tool`). */
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens the provider served from its prompt cache (billed at the cached price when the table has one). */
  cachedPromptTokens: number;
  /** True when the provider reported no usage and the figures are Tiller's estimate. */
  estimated: boolean;
}

export interface ModelPrice {
  /** USD per million input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens. */
  outputPerMTok: number;
  /** USD per million cached input tokens; defaults to inputPerMTok. */
  cachedInputPerMTok?: number;
}

export type PriceTable = Record<string, ModelPrice>;

export interface ModelConfig {
  baseUrl: string;
  apiKey?: string;
  largeModel: string;
  /** Defaults to largeModel. */
  smallModel?: string;
  /** Used once when the primary model fails with a retryable error after all retries, or is not found. */
  fallbackModel?: string;
  prices?: PriceTable;
  /** Retries after the first attempt for retryable failures. Default 4. */
  maxRetries?: number;
  /** Base delay for full-jitter backoff, ms. Default 500. */
  retryBaseMs?: number;
  /** Cap for one backoff delay (and for honouring retry-after), ms. Default 30000. */
  retryMaxMs?: number;
  /** Time to the first byte of a response, ms. Default 60000. */
  requestTimeoutMs?: number;
  /** Longest silence inside a streaming response before it is treated as stalled, ms. Default 30000. */
  stallTimeoutMs?: number;
  /** Stream replies (default true). Off for providers whose streaming is broken; usage is then always reported. */
  stream?: boolean;
  /** `auto` uses native tool calls and switches to the text protocol if the endpoint rejects `tools`. */
  toolProtocol?: 'auto' | 'native' | 'text';
  /** Extra headers (Azure `api-key`, OpenRouter attribution, ...). */
  headers?: Record<string, string>;
  /** Extra query parameters (Azure `api-version`). */
  query?: Record<string, string>;
}

export type ModelEvent =
  | { type: 'text'; delta: string }
  /** A retry is about to happen: any text streamed for the failed attempt must be discarded by the listener.
   * `attempt` is the number of the attempt about to be made (2 for the first retry); `delayMs` the wait before it. */
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'fallback'; from: string; to: string; reason: string }
  /** Something the user should know about the request that is not a failure (a model that takes no images). */
  | { type: 'notice'; message: string };

export interface ModelRequest {
  role: ModelRole;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  signal?: AbortSignal;
  onEvent?: (event: ModelEvent) => void;
  maxTokens?: number;
  temperature?: number;
  /** Why the harness made this call (trace only): `step`, `title`, `summary`, `compaction`, ... */
  purpose?: string;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export interface ModelResponse {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  costUsd: number;
  /** The model that actually answered (the fallback's name when it was used). */
  model: string;
  latencyMs: number;
  /** Attempts made, 1 when the first succeeded. */
  attempts: number;
  usedFallback: boolean;
  toolProtocol: 'native' | 'text';
}

export interface ModelClient {
  complete(request: ModelRequest): Promise<ModelResponse>;
  /** The model name a role resolves to. */
  modelFor(role: ModelRole): string;
  /** Price of a call before it is made, from a token estimate (for spend limits). */
  estimateCost(role: ModelRole, promptTokens: number, completionTokens: number): number;
}

/** Every kind of model error, for schemas that validate one (the webview protocol's task outcome). */
export const MODEL_ERROR_KINDS = [
  'config', // missing/invalid base URL, key or model; never retried
  'auth', // 401/403
  'not_found', // 404: no such model or wrong base URL
  'bad_request', // 400/422
  'bad_response', // HTML or non-JSON where JSON was expected, malformed stream
  'rate_limited', // 429 that can be retried
  'spend_limit', // 429 insufficient_quota / billing: never retried
  'server', // 5xx, 408, 409
  'network', // connection refused/reset, DNS
  'stream_cut', // stream ended before finish
  'stalled', // no bytes for stallTimeoutMs
  'cancelled',
] as const;

export type ModelErrorKind = (typeof MODEL_ERROR_KINDS)[number];

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
