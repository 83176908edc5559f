// Tiller's OAuth client for one HTTP MCP server, driven by the SDK's auth() (discovery of the protected-resource and
// authorization-server metadata, dynamic client registration, PKCE S256, the `resource` parameter, refresh).
// What is Tiller's to decide lives here: tokens are stored per server URL and handed out only for that URL's origin;
// only https authorization pages are opened (http for loopback alone, for local servers and tests); the redirect
// comes back to a loopback listener and is accepted only with the state this provider issued.
import { randomBytes } from 'node:crypto';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ExternalOpener, SecretStore } from '../../ports.js';
import type { InteractiveAuthProvider } from '../protocol/http-connect.js';
import type { RedirectListener } from './redirect-listener.js';

export interface OAuthProviderOptions {
  serverName: string;
  serverUrl: string;
  secrets: SecretStore;
  openExternal: ExternalOpener;
  redirect: RedirectListener;
  /** A client registered beforehand (no dynamic registration). */
  preRegistered?: OAuthClientInformationMixed;
  /** How long the user has to finish in the browser. Default 5 min. */
  authTimeoutMs?: number;
}

interface Stored {
  origin: string;
  tokens?: OAuthTokens;
  client?: OAuthClientInformationMixed;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isOpenableAuthorizationUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname);
}

/** The key a server's credentials are stored under: its URL without query or fragment. */
export function secretKeyFor(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `mcp-oauth:${url.origin}${url.pathname}`;
}

export class TillerOAuthProvider implements InteractiveAuthProvider {
  private verifier: string | undefined;
  private pendingState: string | undefined;
  private pendingCode: Promise<string> | undefined;
  private readonly origin: string;
  private readonly key: string;

  constructor(private readonly options: OAuthProviderOptions) {
    const url = new URL(options.serverUrl);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
      throw new Error(`MCP server ${options.serverName}: OAuth needs an https URL (http only on loopback), got ${url.protocol}//${url.host}`);
    }
    this.origin = url.origin;
    this.key = secretKeyFor(options.serverUrl);
  }

  async prepare(): Promise<void> {
    await this.options.redirect.start();
  }

  get redirectUrl(): string | undefined {
    return this.options.redirect.url;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Tiller',
      redirect_uris: this.redirectUrl !== undefined ? [this.redirectUrl] : [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.pendingState = randomBytes(16).toString('base64url');
    return this.pendingState;
  }

  private async load(): Promise<Stored> {
    const raw = await this.options.secrets.get(this.key);
    if (raw === undefined) return { origin: this.origin };
    try {
      const parsed = JSON.parse(raw) as Stored;
      // Credentials saved for another origin are never used here, whatever key they were found under.
      return parsed.origin === this.origin ? parsed : { origin: this.origin };
    } catch {
      return { origin: this.origin };
    }
  }

  private async save(change: (stored: Stored) => void): Promise<void> {
    const stored = await this.load();
    change(stored);
    await this.options.secrets.set(this.key, JSON.stringify({ ...stored, origin: this.origin }));
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    if (this.options.preRegistered !== undefined) return this.options.preRegistered;
    const client = (await this.load()).client;
    // A loopback redirect's port changes between sessions; a registration for another port is registered anew.
    const uris = (client as { redirect_uris?: string[] } | undefined)?.redirect_uris;
    if (client !== undefined && uris !== undefined && this.redirectUrl !== undefined && !uris.includes(this.redirectUrl)) return undefined;
    return client;
  }

  async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    await this.save((s) => void (s.client = client));
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    return (await this.load()).tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.save((s) => void (s.tokens = tokens));
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    if (!isOpenableAuthorizationUrl(authorizationUrl)) {
      throw new Error(
        `MCP server ${this.options.serverName}: refusing to open a non-https authorization page (${authorizationUrl.protocol}//${authorizationUrl.host})`,
      );
    }
    const state = authorizationUrl.searchParams.get('state') ?? this.pendingState;
    if (state === undefined) throw new Error('the authorization request carries no state');
    // Listen before opening: the browser may come back before anyone asks for the code.
    this.pendingCode = this.options.redirect.waitForCode(state, this.options.authTimeoutMs ?? 300_000);
    this.pendingCode.catch(() => undefined);
    await this.options.openExternal(authorizationUrl.href);
  }

  waitForAuthorizationCode(): Promise<string> {
    if (this.pendingCode === undefined) return Promise.reject(new Error('no authorization is in progress'));
    const code = this.pendingCode;
    this.pendingCode = undefined;
    return code;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no PKCE code verifier has been saved');
    return this.verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier' || scope === 'all') this.verifier = undefined;
    if (scope === 'discovery') return;
    await this.save((s) => {
      if (scope === 'all' || scope === 'tokens') delete s.tokens;
      if (scope === 'all' || scope === 'client') delete s.client;
    });
  }
}
