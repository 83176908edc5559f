// The model layer's public surface.
export * from './types.js';
export { createModelClient, type ModelClientDeps } from './client.js';
export { resolveModelConfig, type ResolvedModelConfig } from './config.js';
export { DEFAULT_PRICES, costOf, priceFor } from './cost.js';
export { estimateMessagesTokens, estimateTokens } from './tokens.js';
export { parseTextToolCalls, toTextProtocol, toolsPrompt } from './text-protocol.js';
