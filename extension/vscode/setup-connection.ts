// The setup form's "Test connection": GET {baseUrl}/models with the key, and say exactly what is wrong when it does
// not work (a URL that is not one, nothing listening, a rejected key, a web page instead of the API). An endpoint
// that answers but lists nothing (no `/models` route, as with many vLLM, LM Studio and proxy setups, or an empty
// list) is not an error: the user types the model name, and `note` says why there was no list to pick from.
// Free of `vscode`, tested against real HTTP servers on 127.0.0.1.

export type ConnectionResult =
  | { ok: true; models: string[]; note?: string }
  | { ok: false; problem: 'bad_url' | 'unreachable' | 'unauthorized' | 'not_json' | 'http_error'; message: string };

/** Statuses that mean "this server has no model list", not "this server is broken": the name is typed instead. */
const NO_LIST_STATUSES: ReadonlySet<number> = new Set([404, 405, 501]);

const TIMEOUT_MS = 8000;

/** Checks the URL's shape; returns the normalised base (no trailing slash) or a message. */
export function normaliseBaseUrl(raw: string): { ok: true; baseUrl: string } | { ok: false; message: string } {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `"${text.slice(0, 100)}" is not a URL; it should look like http://localhost:11434/v1` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, message: `the URL must start with http:// or https://, not ${url.protocol}//` };
  if (url.username || url.password) return { ok: false, message: 'put the API key in the key field, not in the URL' };
  return { ok: true, baseUrl: text.replace(/\/+$/, '') };
}

function modelIds(body: unknown): string[] | undefined {
  const data =
    typeof body === 'object' && body !== null ? ((body as { data?: unknown; models?: unknown }).data ?? (body as { models?: unknown }).models) : undefined;
  if (!Array.isArray(data)) return undefined;
  return data
    .map((m: unknown) => (typeof m === 'object' && m !== null ? ((m as { id?: unknown; name?: unknown }).id ?? (m as { name?: unknown }).name) : m))
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length < 200)
    .sort();
}

export async function testConnection(
  rawBaseUrl: string,
  apiKey: string | undefined,
  options: { headers?: Record<string, string>; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ConnectionResult> {
  const checked = normaliseBaseUrl(rawBaseUrl);
  if (!checked.ok) return { ok: false, problem: 'bad_url', message: checked.message };
  const url = `${checked.baseUrl}/models`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json', ...options.headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
      // A redirect could carry the key elsewhere.
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return { ok: false, problem: 'unreachable', message: `cannot reach ${url} (${why}). Is the server running, and is the URL right?` };
  }
  if (response.status === 401 || response.status === 403) {
    return {
      ok: false,
      problem: 'unauthorized',
      message: `${url} answered ${response.status}: ${apiKey ? 'the API key was refused' : 'an API key is needed'}.`,
    };
  }
  const text = await response.text().catch(() => '');
  if (NO_LIST_STATUSES.has(response.status)) {
    return {
      ok: true,
      models: [],
      note:
        `${url} answered ${response.status}: this server does not list its models (common with vLLM, LM Studio and proxies). ` +
        'Type the model name the server serves. If tasks then fail with 404 too, the base URL is wrong (it usually ends in /v1).',
    };
  }
  if (!response.ok) {
    return { ok: false, problem: 'http_error', message: `${url} answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text);
    return {
      ok: false,
      problem: 'not_json',
      message: `${url} answered with ${looksHtml ? 'a web page (HTML)' : 'text that is not JSON'}, not the API. The base URL usually ends in /v1.`,
    };
  }
  const models = modelIds(body);
  if (!models) return { ok: false, problem: 'not_json', message: `${url} answered JSON without a model list ("data"); is this an OpenAI-compatible endpoint?` };
  if (!models.length) return { ok: true, models: [], note: `${url} lists no models. Load or pull a model on the server, or type the name of one it serves.` };
  return { ok: true, models };
}

/** A chosen model that the endpoint does not list is named; an empty list means the endpoint could not tell. */
export function modelProblem(model: string, listed: readonly string[]): string | undefined {
  if (!listed.length || listed.includes(model)) return undefined;
  return `the endpoint has no model named "${model}"`;
}
