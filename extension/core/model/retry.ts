// The one retry policy for model calls (the `openai` package's own retries are off). Model calls have no side
// effects, so retrying a failed attempt is always safe; what varies is whether retrying can help.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^retryIndex)). `retryIndex` is 0 for the first
 * retry. A server hint (retry-after) is a floor on the wait, still capped by `maxMs` so a hostile or confused
 * server cannot park the agent for an hour. */
export function backoffDelay(retryIndex: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** retryIndex);
  const jitter = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined) return jitter;
  return Math.min(Math.max(retryAfterMs, jitter), policy.maxMs);
}

/** Reads `retry-after-ms` (OpenAI's) or `retry-after` (seconds, or an HTTP date) into milliseconds from now. */
export function retryAfterMs(get: (name: string) => string | null | undefined, nowMs: number): number | undefined {
  const ms = get('retry-after-ms');
  if (ms != null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const header = get('retry-after');
  if (header == null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export function headersRetryAfter(headers: Headers, nowMs: number): number | undefined {
  return retryAfterMs((name) => headers.get(name), nowMs);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
