// One OAuth provider per HTTP MCP server, sharing one loopback redirect listener (the state tells sign-ins apart).
// A provider is only consulted when a server answers 401, so every eligible server gets one; a plain-http server off
// loopback gets none, and a 401 from it fails to connect rather than sending anyone's credentials over plain http.
import type { ExternalOpener, SecretStore } from '../../ports.js';
import type { InteractiveAuthProvider } from '../protocol/http-connect.js';
import type { ServerSpec } from '../types.js';
import { isOpenableAuthorizationUrl, TillerOAuthProvider } from './provider.js';
import { createRedirectListener, type RedirectListener } from './redirect-listener.js';

export interface McpAuthOptions {
  secrets: SecretStore;
  openExternal: ExternalOpener;
  authTimeoutMs?: number;
}

export function oauthProviderFactory(options: McpAuthOptions): {
  providerFor: (spec: ServerSpec) => InteractiveAuthProvider | undefined;
  close: () => Promise<void>;
} {
  let redirect: RedirectListener | undefined;
  return {
    providerFor(spec) {
      if (spec.transport === 'stdio') return undefined;
      let url: URL;
      try {
        url = new URL(spec.url);
      } catch {
        return undefined;
      }
      if (!isOpenableAuthorizationUrl(url)) return undefined;
      redirect ??= createRedirectListener();
      return new TillerOAuthProvider({
        serverName: spec.name,
        serverUrl: spec.url,
        secrets: options.secrets,
        openExternal: options.openExternal,
        redirect,
        ...(options.authTimeoutMs !== undefined ? { authTimeoutMs: options.authTimeoutMs } : {}),
      });
    },
    close: async () => {
      await redirect?.close();
    },
  };
}
