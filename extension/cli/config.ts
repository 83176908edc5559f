// Model configuration for the CLI: flags first, then the environment. Every missing or malformed value is named.
import type { ModelConfig } from '../core/model/types.js';
import { UsageError } from './exit-codes.js';

export interface ModelFlags {
  baseUrl?: string;
  model?: string;
  smallModel?: string;
  fallbackModel?: string;
}

const OPENAI_URL = 'https://api.openai.com/v1';

export function modelConfigFrom(flags: ModelFlags, env: NodeJS.ProcessEnv): ModelConfig {
  const apiKey = env.TILLER_API_KEY || env.OPENAI_API_KEY || undefined;
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
  const largeModel = flags.model || env.TILLER_MODEL || '';
  if (!largeModel) throw new UsageError('no model name: pass --model NAME or set TILLER_MODEL');
  const smallModel = flags.smallModel || env.TILLER_SMALL_MODEL || undefined;
  const fallbackModel = flags.fallbackModel || env.TILLER_FALLBACK_MODEL || undefined;
  return {
    baseUrl,
    largeModel,
    ...(apiKey ? { apiKey } : {}),
    ...(smallModel ? { smallModel } : {}),
    ...(fallbackModel ? { fallbackModel } : {}),
  };
}
