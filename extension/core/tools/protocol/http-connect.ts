// Connecting to an HTTP server: Streamable HTTP first; a 400, 404 or 405 to the initialize POST means an older
// server that only speaks the 2024-11-05 HTTP+SSE transport, so a fresh client retries over SSE (the spec's
// backwards-compatibility procedure). `sse` in the config skips the first attempt.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

export type HttpTransport = StreamableHTTPClientTransport | SSEClientTransport;

export interface HttpTarget {
  transport: 'http' | 'sse';
  url: string;
  headers?: Record<string, string>;
}

const NOT_SUPPORTED = new Set([400, 404, 405]);

/** An OAuth provider that can wait for the user to finish authorizing in the browser. */
export interface InteractiveAuthProvider extends OAuthClientProvider {
  /** Resolves with the authorization code once the redirect arrives; rejects when the user gives up. */
  waitForAuthorizationCode(): Promise<string>;
  /** Gets ready before any request (starts the redirect listener, so `redirectUrl` is known). */
  prepare?(): Promise<void>;
}

export function isStreamableUnsupported(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && NOT_SUPPORTED.has(error.code);
}

export function makeHttpTransport(kind: 'http' | 'sse', target: HttpTarget, authProvider?: OAuthClientProvider): HttpTransport {
  const options = { requestInit: { headers: target.headers ?? {} }, ...(authProvider !== undefined ? { authProvider } : {}) };
  return kind === 'http' ? new StreamableHTTPClientTransport(new URL(target.url), options) : new SSEClientTransport(new URL(target.url), options);
}

/**
 * Connects a client made by `makeClient` and returns it with its transport. `onTransport` sees each transport before
 * it is used, so the caller can close it if the connect budget runs out.
 */
export async function connectHttp(
  target: HttpTarget,
  makeClient: () => Client,
  options: {
    timeoutMs: number;
    authProvider?: InteractiveAuthProvider;
    onTransport?: (t: Transport) => void;
    /** Called when the user must authorize in the browser; the wait is theirs, not the server's. */
    onAuthorizationWait?: () => void;
  },
): Promise<{ client: Client; transport: HttpTransport; kind: 'http' | 'sse' }> {
  const attempt = async (kind: 'http' | 'sse', authorized = false): Promise<{ client: Client; transport: HttpTransport; kind: 'http' | 'sse' }> => {
    const client = makeClient();
    const transport = makeHttpTransport(kind, target, options.authProvider);
    options.onTransport?.(transport);
    try {
      await client.connect(transport, { timeout: options.timeoutMs });
    } catch (error) {
      // The SDK has sent the user to the authorization page; once the redirect brings a code, the transport trades
      // it for tokens and a fresh connection uses them. Only once: a server that refuses fresh tokens is not looped on.
      if (!(error instanceof UnauthorizedError) || options.authProvider === undefined || authorized) throw error;
      options.onAuthorizationWait?.();
      const code = await options.authProvider.waitForAuthorizationCode();
      await transport.finishAuth(code);
      await transport.close().catch(() => undefined);
      return attempt(kind, true);
    }
    return { client, transport, kind };
  };
  await options.authProvider?.prepare?.();
  if (target.transport === 'sse') return attempt('sse');
  try {
    return await attempt('http');
  } catch (error) {
    if (!isStreamableUnsupported(error)) throw error;
    return attempt('sse');
  }
}
