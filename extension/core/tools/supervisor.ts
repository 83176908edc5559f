// One MCP server's connection and its supervision. A stdio server that exits is marked down; the next call
// restarts it after a backoff (250 ms * 2^n, at most 10 s). Three crashes within 60 s open the circuit: calls
// then fail fast until the window has passed. A call in flight when the server dies fails and is never
// replayed (the tool may not be idempotent). The user may stop a server (its tools fail until restarted) or
// restart it (a fresh connection, crash history forgotten); every change of state is reported (`onStateChange`).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { LoggingLevel, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../ports.js';
import { ChildProcessTransport } from './child-transport.js';
import { createMcpClient, type ClientHooks, type ListKind } from './protocol/client-setup.js';
import { connectHttp, type HttpTransport, type InteractiveAuthProvider } from './protocol/http-connect.js';
import { ByteRing } from './ring-buffer.js';
import { ToolHostError, type ServerSpec } from './types.js';

export const CRASH_WINDOW_MS = 60_000;
export const CRASHES_TO_OPEN = 3;
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 10_000;

/**
 * `down`: failed to connect or exited (restarted on the next call); `circuit_open`: failed too often, not restarted for
 * now; `stopped`: stopped by the user until restarted; `closed`: the host was closed.
 */
export type ServerState = 'starting' | 'up' | 'down' | 'circuit_open' | 'stopped' | 'closed';

export interface ServerStatus {
  name: string;
  state: ServerState;
  transport: ServerSpec['transport'];
  /** Process id of a stdio server while it runs. */
  pid?: number;
  /** The last 64 KiB of the server's stderr (a ring buffer: older bytes are dropped). */
  stderrTail: string;
  lastError?: string;
  recentCrashes: number;
  /** Tools the server offers while up; 0 otherwise. */
  toolCount: number;
  /** When the state last changed (ms since the epoch). */
  since: number;
}

/** What a server's connection needs beyond its spec: the client-side protocol handlers and, for HTTP, OAuth. */
export interface ServerHooks extends Omit<ClientHooks, 'onListChanged' | 'log'> {
  /** Level asked of servers that log (`logging/setLevel`). Default `info`. */
  logLevel?: LoggingLevel;
  authProvider?: InteractiveAuthProvider;
  /** How long the user has to authorize in the browser. Default 5 min. */
  authTimeoutMs?: number;
  /** After the tool list was refetched because the server said it changed. */
  onToolsChanged?: (server: string) => void;
  /** The server's state, error or tools changed; `status()` now says how. */
  onStateChange?: (server: string) => void;
  onListChanged?: (server: string, kind: ListKind) => void;
  /**
   * The transport to a stdio server instead of spawning its command: the seam unit tests use to run the supervision
   * (timeouts, cancellation, crashes, restarts) against an in-process server (the SDK's InMemoryTransport). Called
   * for every connection, so each restart gets a fresh one.
   */
  connectTransport?: (spec: ServerSpec) => Transport;
}

/** What a connection runs over: a child's stdio, HTTP, or (tests) a transport handed in through `connectTransport`. */
type AnyTransport = ChildProcessTransport | HttpTransport | Transport;

const DEFAULT_HOOKS: ServerHooks = { roots: () => [] };

/** How long a failed connection waits to learn how the server's process ended (it usually has by then). */
const EXIT_GRACE_MS = 500;

export function backoffDelay(restartIndex: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, restartIndex));
}

export class SupervisedServer {
  private client: Client | undefined;
  private transport: AnyTransport | undefined;
  private connecting: Promise<void> | undefined;
  private crashes: number[] = [];
  private state: ServerState = 'starting';
  private since: number;
  private lastError: string | undefined;
  private restarts = 0;
  readonly stderr = new ByteRing();
  tools: Tool[] = [];

  constructor(
    readonly spec: ServerSpec,
    private readonly log: Logger,
    private readonly connectTimeoutMs: number,
    private readonly now: () => number = Date.now,
    private readonly hooks: ServerHooks = DEFAULT_HOOKS,
  ) {
    this.since = now();
  }

  private setState(state: ServerState): void {
    if (state !== this.state) this.since = this.now();
    this.state = state;
    this.changed();
  }

  /** A listener that throws must not break the connection it is told about. */
  private changed(): void {
    try {
      this.hooks.onStateChange?.(this.spec.name);
    } catch (error) {
      this.log.warn(`MCP server ${this.spec.name}: a state listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The live client, if connected (for requests other than tool calls). */
  get connectedClient(): Client | undefined {
    return this.state === 'up' ? this.client : undefined;
  }

  private makeClient(): Client {
    return createMcpClient(this.spec.name, {
      ...this.hooks,
      log: this.log,
      onListChanged: (kind) => this.onListChanged(kind),
    });
  }

  private onListChanged(kind: ListKind): void {
    this.hooks.onListChanged?.(this.spec.name, kind);
    if (kind !== 'tools') return;
    const client = this.client;
    if (client === undefined) return;
    this.listAllTools(client).then(
      (tools) => {
        if (this.client !== client) return;
        this.tools = tools;
        this.log.info(`MCP server ${this.spec.name} changed its tools (${tools.length} now)`);
        this.hooks.onToolsChanged?.(this.spec.name);
        this.changed();
      },
      (error: unknown) => this.log.warn(`MCP server ${this.spec.name}: could not refetch its tools: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  status(): ServerStatus {
    const pid = this.transport instanceof ChildProcessTransport && this.state === 'up' ? this.transport.pid : undefined;
    return {
      name: this.spec.name,
      state: this.state,
      transport: this.spec.transport,
      ...(pid !== undefined ? { pid } : {}),
      stderrTail: this.stderr.toString(),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      recentCrashes: this.recentCrashes(),
      toolCount: this.state === 'up' ? this.tools.length : 0,
      since: this.since,
    };
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  private recentCrashes(): number {
    const since = this.now() - CRASH_WINDOW_MS;
    this.crashes = this.crashes.filter((t) => t >= since);
    return this.crashes.length;
  }

  /** First connection; failures are recorded, not thrown, so one bad server never blocks the others. */
  start(): Promise<void> {
    return this.connect().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    this.setState('starting');
    let client: Client | undefined;
    let transport: AnyTransport | undefined;
    let garbageReported = 0;
    const onerror = (error: Error) => {
      // Reported a few times per connection, so a server flooding stdout with junk cannot flood the log.
      if (garbageReported++ < 3) this.log.warn(`MCP server ${this.spec.name}: ${error.message}`);
    };
    let timer: NodeJS.Timeout | undefined;
    let rejectBudget: (error: Error) => void = () => undefined;
    const arm = (ms: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => rejectBudget(new Error(`${what} within ${ms} ms`)), ms);
    };
    const opened: Transport[] = [];
    try {
      const budget = new Promise<never>((_, reject) => {
        rejectBudget = reject;
      });
      arm(this.connectTimeoutMs, 'did not finish connecting');
      await Promise.race([
        (async () => {
          const spec = this.spec;
          if (spec.transport === 'stdio') {
            client = this.makeClient();
            client.onerror = onerror;
            transport =
              this.hooks.connectTransport?.(spec) ??
              new ChildProcessTransport({ command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd, stderr: this.stderr });
            opened.push(transport);
            await client.connect(transport, { timeout: this.connectTimeoutMs });
          } else {
            const connected = await connectHttp(
              spec,
              () => {
                const c = this.makeClient();
                c.onerror = onerror;
                return c;
              },
              {
                timeoutMs: this.connectTimeoutMs,
                ...(this.hooks.authProvider !== undefined ? { authProvider: this.hooks.authProvider } : {}),
                onTransport: (t) => opened.push(t),
                onAuthorizationWait: () => arm(this.hooks.authTimeoutMs ?? 300_000, 'authorization was not completed'),
              },
            );
            client = connected.client;
            transport = connected.transport;
            arm(this.connectTimeoutMs, 'did not finish connecting');
          }
          const live = client;
          const liveTransport = transport;
          this.tools = await this.listAllTools(live).catch(async (error: unknown) => {
            // A server may ask for a wider scope only once a request needs it (step-up): sign in again, list again.
            if (!(error instanceof UnauthorizedError) || !(await this.completeAuthorization(liveTransport))) throw error;
            return this.listAllTools(live);
          });
          await this.askLogLevel(client);
        })(),
        budget,
      ]);
    } catch (error) {
      clearTimeout(timer);
      const detail = error instanceof Error ? error.message : String(error);
      const exit = transport instanceof ChildProcessTransport ? await transport.exitAfter(EXIT_GRACE_MS) : undefined;
      this.lastError = `could not connect: ${detail}${exit !== undefined ? ` (${exit})` : ''}`;
      this.log.error(`MCP server ${this.spec.name} ${this.lastError}${this.stderrHint()}`);
      // Stopped or closed while connecting: that state stands.
      if (this.state === 'starting') {
        this.crashes.push(this.now());
        this.setState(this.recentCrashes() >= CRASHES_TO_OPEN ? 'circuit_open' : 'down');
      }
      if (client !== undefined) client.onclose = undefined;
      await Promise.all(opened.map((t) => t.close().catch(() => undefined)));
      throw new ToolHostError('server_unavailable', `MCP server ${this.spec.name} ${this.lastError}`);
    }
    clearTimeout(timer);
    const liveClient = client as unknown as Client;
    const liveTransport = transport as unknown as AnyTransport;
    if (this.state !== 'starting') {
      // Stopped or closed while connecting: this connection is not wanted any more.
      liveClient.onclose = undefined;
      await liveClient.close().catch(() => undefined);
      await liveTransport.close().catch(() => undefined);
      return;
    }
    this.client = liveClient;
    this.transport = liveTransport;
    this.lastError = undefined;
    this.setState('up');
    liveClient.onclose = () => this.onConnectionLost(liveClient, liveTransport);
    this.log.info(`MCP server ${this.spec.name} connected (${this.tools.length} tools)`);
  }

  /** Servers that log are asked for the configured level; one that refuses is still usable. */
  private async askLogLevel(client: Client): Promise<void> {
    if (client.getServerCapabilities()?.logging === undefined) return;
    try {
      await client.setLoggingLevel(this.hooks.logLevel ?? 'info', { timeout: this.connectTimeoutMs });
    } catch (error) {
      this.log.warn(`MCP server ${this.spec.name} refused logging/setLevel: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** tools/list is paginated; a server that keeps handing out cursors is cut off at a sane number of pages. */
  private async listAllTools(client: Client): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const listed = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: this.connectTimeoutMs });
      tools.push(...listed.tools);
      cursor = listed.nextCursor;
      if (cursor === undefined) break;
    }
    return tools;
  }

  private onConnectionLost(client: Client, transport: AnyTransport): void {
    if (this.client !== client || this.state === 'closed') return;
    this.client = undefined;
    this.transport = undefined;
    const exit = transport instanceof ChildProcessTransport ? transport.exitDescription : undefined;
    this.lastError = `the server ${exit ?? 'closed the connection'}`;
    this.crashes.push(this.now());
    this.setState(this.recentCrashes() >= CRASHES_TO_OPEN ? 'circuit_open' : 'down');
    this.log.warn(`MCP server ${this.spec.name}: ${this.lastError}${this.stderrHint()}`);
  }

  private stderrHint(): string {
    const tail = this.stderr.toString().trim().split('\n').slice(-5).join('\n');
    return tail === '' ? '' : `; stderr ends with:\n${tail}`;
  }

  /** A connected client, restarting a crashed server (with backoff) when the circuit allows it. */
  async ensureClient(): Promise<Client> {
    if (this.state === 'closed') throw new ToolHostError('server_unavailable', `MCP server ${this.spec.name} has been shut down`);
    if (this.connecting !== undefined) await this.connecting.catch(() => undefined);
    if (this.state === 'stopped')
      throw new ToolHostError('server_unavailable', `MCP server ${this.spec.name} was stopped by the user; its tools are unavailable until it is restarted`);
    if (this.client !== undefined && this.state === 'up') return this.client;
    const crashes = this.recentCrashes();
    if (crashes >= CRASHES_TO_OPEN) {
      if (this.state !== 'circuit_open') this.setState('circuit_open');
      throw new ToolHostError(
        'server_unavailable',
        `MCP server ${this.spec.name} failed ${crashes} times in the last ${CRASH_WINDOW_MS / 1000} s, so it is not being restarted for now (last error: ${this.lastError ?? 'unknown'})`,
      );
    }
    const delay = backoffDelay(Math.max(this.restarts, crashes - 1));
    this.restarts++;
    await new Promise((resolve) => setTimeout(resolve, delay));
    await this.connect();
    if (this.client === undefined) throw new ToolHostError('server_unavailable', `MCP server ${this.spec.name} is not available`);
    return this.client;
  }

  /**
   * After a request was refused for authorization and the SDK sent the user to sign in: waits for the redirect and
   * trades the code for tokens on the live transport. False when this server has no OAuth or the sign-in failed.
   */
  async completeAuthorization(transport = this.transport): Promise<boolean> {
    const provider = this.hooks.authProvider;
    if (provider === undefined || transport === undefined || !('finishAuth' in transport)) return false;
    try {
      await transport.finishAuth(await provider.waitForAuthorizationCode());
      return true;
    } catch (error) {
      this.log.warn(`MCP server ${this.spec.name}: sign-in did not complete: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** Tells a connected server that the workspace roots changed; it will ask for them again. */
  async notifyRootsChanged(): Promise<void> {
    const client = this.connectedClient;
    if (client === undefined) return;
    await client.sendRootsListChanged().catch((error: unknown) => {
      this.log.warn(`MCP server ${this.spec.name}: could not send roots/list_changed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Called after a successful call: restarts that worked reset the backoff. */
  noteHealthy(): void {
    this.restarts = 0;
  }

  describeLoss(): string {
    return `MCP server ${this.spec.name} stopped during the call (${this.lastError ?? 'connection closed'}); the call was not retried because the tool may not be idempotent`;
  }

  /** The user's stop: the connection closes and calls fail until `restart()`. */
  async stop(): Promise<void> {
    if (this.state === 'closed') return;
    this.setState('stopped');
    await this.disconnect();
    this.changed();
  }

  /** A fresh connection, whatever the state (stopped, failed, circuit open); the crash history is forgotten. */
  async restart(): Promise<void> {
    if (this.state === 'closed') throw new ToolHostError('server_unavailable', `MCP server ${this.spec.name} has been shut down`);
    // Marked first so a connection being made now is dropped rather than kept.
    this.setState('stopped');
    await this.disconnect();
    this.crashes = [];
    this.restarts = 0;
    this.lastError = undefined;
    this.stderr.push(Buffer.from(`--- restarted at ${new Date(this.now()).toISOString()} ---\n`));
    await this.connect().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.setState('closed');
    await this.disconnect();
  }

  /** Waits for a connection being made (which sees the new state and drops itself), then closes the live one. */
  private async disconnect(): Promise<void> {
    if (this.connecting !== undefined) await this.connecting.catch(() => undefined);
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    if (client !== undefined) client.onclose = undefined;
    await client?.close().catch(() => undefined);
    await transport?.close().catch(() => undefined);
  }
}
