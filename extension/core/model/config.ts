// Validates a ModelConfig at the boundary (settings, CLI flags) and fills in defaults, so the client never meets a
// half-valid config. A failure names the field and what was wrong with it.
import { z } from 'zod';
import { ModelError, type ModelConfig, type PriceTable } from './types.js';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const modelName = z.string().trim().min(1, 'must be a non-empty model name');
const nonNegativeInt = z.number().int().min(0);
const positiveMs = z.number().int().positive();
const price = z.object({
  inputPerMTok: z.number().min(0),
  outputPerMTok: z.number().min(0),
  cachedInputPerMTok: z.number().min(0).optional(),
});

const configSchema = z.object({
  baseUrl: z.string().refine(isHttpUrl, 'must be an http:// or https:// URL, e.g. http://localhost:11434/v1'),
  apiKey: z.string().optional(),
  largeModel: modelName,
  smallModel: modelName.optional(),
  fallbackModel: modelName.optional(),
  prices: z.record(z.string(), price).optional(),
  maxRetries: nonNegativeInt.max(20).optional(),
  retryBaseMs: nonNegativeInt.optional(),
  retryMaxMs: nonNegativeInt.optional(),
  requestTimeoutMs: positiveMs.optional(),
  stallTimeoutMs: positiveMs.optional(),
  stream: z.boolean().optional(),
  toolProtocol: z.enum(['auto', 'native', 'text']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  query: z.record(z.string(), z.string()).optional(),
});

export interface ResolvedModelConfig {
  baseUrl: string;
  apiKey: string | undefined;
  largeModel: string;
  smallModel: string;
  fallbackModel: string | undefined;
  prices: PriceTable;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  stream: boolean;
  toolProtocol: 'auto' | 'native' | 'text';
  headers: Record<string, string>;
  query: Record<string, string>;
}

/** Throws ModelError('config') naming the first bad field. `defaultPrices` fill in models the user did not price. */
export function resolveModelConfig(config: ModelConfig, defaultPrices: PriceTable): ResolvedModelConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join('.') : 'config';
    throw new ModelError('config', `model config: ${field} ${issue?.message ?? 'is invalid'}`);
  }
  const c = parsed.data;
  const apiKey = c.apiKey?.trim() ? c.apiKey.trim() : undefined;
  return {
    baseUrl: c.baseUrl.replace(/\/+$/, ''),
    apiKey,
    largeModel: c.largeModel,
    smallModel: c.smallModel ?? c.largeModel,
    fallbackModel: c.fallbackModel,
    prices: { ...defaultPrices, ...(c.prices ?? {}) },
    maxRetries: c.maxRetries ?? 4,
    retryBaseMs: c.retryBaseMs ?? 500,
    retryMaxMs: c.retryMaxMs ?? 30_000,
    requestTimeoutMs: c.requestTimeoutMs ?? 60_000,
    stallTimeoutMs: c.stallTimeoutMs ?? 30_000,
    stream: c.stream ?? true,
    toolProtocol: c.toolProtocol ?? 'auto',
    headers: c.headers ?? {},
    query: c.query ?? {},
  };
}
