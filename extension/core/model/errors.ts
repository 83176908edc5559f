// Turns whatever went wrong talking to a provider into a ModelError with a kind the retry policy can act on and a
// message a user can act on (which URL, which model, what to check).
import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ModelError, type ModelErrorKind } from './types.js';

export interface ErrorContext {
  baseUrl: string;
  model: string;
  hasApiKey: boolean;
}

/** A classified failure plus the server's own retry hint, which the retry policy honours. */
export interface Failure {
  error: ModelError;
  retryAfterMs?: number;
}

/** What an HTTP error response looked like, independent of the client library (so the table is testable). */
export interface HttpFailure {
  status: number;
  code?: string | null;
  type?: string | null;
  message?: string;
  /** The raw body when it was not JSON. */
  rawBody?: string;
}

const RETRYABLE_KINDS: ReadonlySet<ModelErrorKind> = new Set(['rate_limited', 'server', 'network', 'stream_cut', 'stalled']);

export function modelError(kind: ModelErrorKind, message: string, status?: number): ModelError {
  return new ModelError(kind, message, status, RETRYABLE_KINDS.has(kind));
}

export function looksLikeHtml(text: string): boolean {
  const head = text.trimStart().slice(0, 512).toLowerCase();
  return head.startsWith('<!doctype') || head.startsWith('<html') || head.includes('<html') || head.includes('<body');
}

/** The status, when there is one, travels on the ModelError rather than in this sentence. */
export function htmlAnswerMessage(baseUrl: string): string {
  return `the endpoint at ${baseUrl} answered HTML, not the OpenAI API: is the base URL right (it usually ends in /v1)?`;
}

const SPEND_WORDING = /insufficient[_ ]quota|exceeded your (current )?quota|billing|credit|spend(ing)? limit|budget|payment/i;

export function classifyHttpFailure(f: HttpFailure, ctx: ErrorContext): ModelError {
  const detail = f.message ? `: ${f.message}` : '';
  if (f.rawBody !== undefined && looksLikeHtml(f.rawBody) && f.status < 500) {
    return modelError('bad_response', htmlAnswerMessage(ctx.baseUrl), f.status);
  }
  const s = f.status;
  if (s === 402 || (s === 429 && (f.code === 'insufficient_quota' || f.type === 'insufficient_quota' || SPEND_WORDING.test(f.message ?? '')))) {
    return modelError(
      'spend_limit',
      `the provider at ${ctx.baseUrl} refused the request for quota or billing reasons (HTTP ${s})${detail}: check the account's credit and spend limits`,
      s,
    );
  }
  if (s === 429) return modelError('rate_limited', `rate limited by ${ctx.baseUrl} (HTTP 429)${detail}`, s);
  if (s === 401 || s === 403) {
    const key = ctx.hasApiKey ? 'check the API key (and that it has access to this model)' : 'no API key is configured: check the API key setting';
    return modelError('auth', `the endpoint at ${ctx.baseUrl} refused the credentials (HTTP ${s})${detail}: ${key}`, s);
  }
  if (s === 404) {
    return modelError(
      'not_found',
      `model '${ctx.model}' was not found at ${ctx.baseUrl} (HTTP 404)${detail}: check the model name and the base URL (GET ${ctx.baseUrl}/models lists the models)`,
      s,
    );
  }
  if (s === 400 || s === 422)
    return modelError('bad_request', `the endpoint at ${ctx.baseUrl} rejected the request for model '${ctx.model}' (HTTP ${s})${detail}`, s);
  if (s === 408 || s === 409 || s >= 500) {
    const html = f.rawBody !== undefined && looksLikeHtml(f.rawBody) ? ' (an HTML error page, probably from a proxy)' : '';
    return modelError('server', `the endpoint at ${ctx.baseUrl} failed (HTTP ${s})${html}${detail}`, s);
  }
  return modelError('bad_response', `unexpected HTTP ${s} from ${ctx.baseUrl}${detail}`, s);
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running and the port right?)',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (check the base URL)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** The first known network error code anywhere in an error's cause chain. */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in NETWORK_CODES) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const found = networkCode(inner);
        if (found) return found;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Classifies an error thrown by the `openai` package or by fetch. The caller handles its own aborts (cancel and
 * stall) before calling this, because only it knows why its signal fired. */
export function classifyError(error: unknown, ctx: ErrorContext, retryAfter: (headers: Headers) => number | undefined): Failure {
  if (error instanceof ModelError) return { error };
  if (error instanceof APIUserAbortError) return { error: modelError('cancelled', 'the model request was cancelled') };
  if (error instanceof APIConnectionTimeoutError) {
    return { error: modelError('stalled', `no response from ${ctx.baseUrl} within the request timeout`) };
  }
  if (error instanceof APIError && error.status !== undefined) {
    const body = error.error as Record<string, unknown> | undefined;
    const raw = body === undefined ? error.message.replace(/^\d{3}\s*/, '') : undefined;
    const classified = classifyHttpFailure(
      {
        status: error.status,
        code: stringOrNull(error.code),
        type: stringOrNull(error.type),
        message: body ? (stringOrNull(body.message) ?? undefined) : raw && !looksLikeHtml(raw) ? raw.slice(0, 300) : undefined,
        ...(raw !== undefined ? { rawBody: raw } : {}),
      },
      ctx,
    );
    const hint = error.headers ? retryAfter(error.headers) : undefined;
    return hint === undefined ? { error: classified } : { error: classified, retryAfterMs: hint };
  }
  if (error instanceof APIError && error.error !== undefined) {
    // An error event inside a 200 stream: the provider failed mid-reply.
    const body = error.error as Record<string, unknown>;
    const code = stringOrNull(body.code) ?? stringOrNull(body.type);
    const message = stringOrNull(body.message) ?? 'error event in the stream';
    if (code === 'insufficient_quota' || SPEND_WORDING.test(message)) {
      return { error: modelError('spend_limit', `the provider at ${ctx.baseUrl} stopped the reply for quota or billing reasons: ${message}`) };
    }
    return { error: modelError('server', `the provider at ${ctx.baseUrl} reported an error mid-reply: ${message}`) };
  }
  const code = networkCode(error);
  if (code) return { error: modelError('network', `could not reach ${ctx.baseUrl}: ${NETWORK_CODES[code]} [${code}]`) };
  if (error instanceof SyntaxError) {
    return { error: modelError('bad_response', `the endpoint at ${ctx.baseUrl} sent a reply that is not valid JSON: ${error.message}`) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { error: modelError('network', `request to ${ctx.baseUrl} failed: ${message}`) };
}
