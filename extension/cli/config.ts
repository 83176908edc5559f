// Model configuration for the CLI: flags first, then the environment. Every missing or malformed value is named.
import type { ModelConfig, PriceTable } from '../core/model/types.js';
import { UsageError } from './exit-codes.js';

export interface ModelFlags {
  baseUrl?: string;
  model?: string;
  smallModel?: string;
  fallbackModel?: string;
}

const OPENAI_URL = 'https://api.openai.com/v1';

export function modelConfigFrom(flags: ModelFlags, env: NodeJS.ProcessEnv, warn: (message: string) => void = () => {}): ModelConfig {
  // With only an OpenAI key set, OpenAI is the obvious endpoint; anything else must be said.
  const baseUrl = flags.baseUrl || env.TILLER_BASE_URL || (env.OPENAI_API_KEY ? OPENAI_URL : '');
  if (!baseUrl) {
    throw new UsageError('no model endpoint: pass --base-url URL or set TILLER_BASE_URL (for example http://127.0.0.1:11434/v1 for Ollama)');
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UsageError(`the base URL is not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`the base URL must be http or https, not ${url.protocol} (${baseUrl})`);
  // OPENAI_API_KEY is often set for other tools; it goes to OpenAI only, as in the extension. TILLER_API_KEY is the
  // key for whatever endpoint Tiller is pointed at.
  const openAiKey = url.hostname === 'api.openai.com' ? env.OPENAI_API_KEY : undefined;
  if (env.OPENAI_API_KEY && !env.TILLER_API_KEY && !openAiKey) warn(`OPENAI_API_KEY is not sent to ${url.host}; set TILLER_API_KEY for that endpoint`);
  const apiKey = env.TILLER_API_KEY || openAiKey || undefined;
  const largeModel = flags.model || env.TILLER_MODEL || '';
  if (!largeModel) throw new UsageError('no model name: pass --model NAME or set TILLER_MODEL');
  const smallModel = flags.smallModel || env.TILLER_SMALL_MODEL || undefined;
  const fallbackModel = flags.fallbackModel || env.TILLER_FALLBACK_MODEL || undefined;
  const prices = env.TILLER_PRICES ? parsePrices(env.TILLER_PRICES) : undefined;
  // Slow local models need a longer stall timeout; CI and flaky links may want more or fewer retries.
  const stallTimeoutMs = wholeNumber('TILLER_STALL_TIMEOUT_MS', env.TILLER_STALL_TIMEOUT_MS, 1);
  const maxRetries = wholeNumber('TILLER_MAX_RETRIES', env.TILLER_MAX_RETRIES, 0);
  return {
    ...(stallTimeoutMs !== undefined ? { stallTimeoutMs } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
    ...(prices ? { prices } : {}),
    baseUrl,
    largeModel,
    ...(apiKey ? { apiKey } : {}),
    ...(smallModel ? { smallModel } : {}),
    ...(fallbackModel ? { fallbackModel } : {}),
  };
}

/** `TILLER_PRICES` is a JSON object: model name -> {inputPerMTok, outputPerMTok, cachedInputPerMTok?} in USD. */
function parsePrices(raw: string): PriceTable {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`TILLER_PRICES is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('TILLER_PRICES must be a JSON object of model name -> prices');
  for (const [model, price] of Object.entries(value as Record<string, unknown>)) {
    const p = price as Record<string, unknown> | null;
    for (const field of ['inputPerMTok', 'outputPerMTok'] as const) {
      if (!p || typeof p[field] !== 'number' || !(Number(p[field]) >= 0))
        throw new UsageError(`TILLER_PRICES.${model}.${field} must be a number of USD per million tokens`);
    }
  }
  return value as PriceTable;
}

function wholeNumber(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}`);
  return n;
}
