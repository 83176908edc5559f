// The MCP tool host: connects every configured server concurrently, exposes their tools as `server.tool`, and
// routes calls with timeouts and cancellation. A server that fails never blocks or ends the session: it is
// logged and its tools are simply absent until it comes back.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ErrorCode, McpError, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import { silentLogger, type Elicitor, type Logger } from '../ports.js';
import type { InteractiveAuthProvider } from './protocol/http-connect.js';
import type { ListKind } from './protocol/client-setup.js';
import {
  listServerPrompts,
  listServerResources,
  listServerResourceTemplates,
  type PromptDescriptor,
  type PromptMessages,
  type ResourceContents,
  type ResourceDescriptor,
  type ResourceTemplateDescriptor,
} from './protocol/resources.js';
import type { SamplingOptions } from './protocol/sampling.js';
import { closeMatches } from './close-matches.js';
import { SERVER_NAME, splitToolName } from '../model/tool-names.js';
import { formatCallResult } from './result-format.js';
import { SupervisedServer, type ServerHooks, type ServerStatus } from './supervisor.js';
import {
  ToolHostError,
  type ServerSpec,
  type ToolAnnotations,
  type ToolCallOptions,
  type ToolCallResult,
  type ToolDescriptor,
  type ToolHost,
} from './types.js';

export interface ToolHostOptions {
  log?: Logger;
  /** Budget for starting and initialising each server. Default 10 s. */
  connectTimeoutMs?: number;
  /** Call timeout when the caller gives none. Default 11 min, above the shell server's 10 min command limit. */
  callTimeoutMs?: number;
  /** Progress restarts a call's timeout, but never beyond this total. Default 30 min (at least the call timeout). */
  maxCallDurationMs?: number;
  /** Answers servers' `elicitation/create`; without it the capability is not declared. */
  elicitor?: Elicitor;
  /** Serves `sampling/createMessage` after the user's approval; without it the capability is not declared. */
  sampling?: SamplingOptions;
  /** Workspace roots (absolute paths) given to servers through `roots/list`. */
  roots?: readonly string[];
  /** Level asked of servers that log. Default `info`. */
  logLevel?: LoggingLevel;
  /** OAuth for an HTTP server, or undefined when it needs none. */
  authProviderFor?: (server: ServerSpec) => InteractiveAuthProvider | undefined;
  /** A server's tool list changed and was refetched; `listTools()` now returns the new one. */
  onToolsChanged?: (server: string) => void;
  /** A server's resource or prompt list changed. */
  onListChanged?: (server: string, kind: ListKind) => void;
  /**
   * Any server's state changed (starting, up, failed, stopped, its tools); receives every server's status, in the
   * configured order, so a view can show them without polling.
   */
  onServersChanged?: (servers: ServerStatus[]) => void;
  /** Tests only: connect stdio servers through this transport instead of spawning them (see ServerHooks). */
  connectTransport?: ServerHooks['connectTransport'];
}

export interface SupervisedToolHost extends ToolHost {
  /** Per-server state, pid and stderr tail, for diagnostics and the servers view (see also `onServersChanged`). */
  servers(): ServerStatus[];
  /** Closes the server's connection and starts it afresh, forgetting its crashes; resolves with how that went. */
  restartServer(name: string): Promise<ServerStatus>;
  /** Stops the server until it is restarted: its tools fail with a message saying it was stopped. */
  stopServer(name: string): Promise<ServerStatus>;
  listResources(): Promise<ResourceDescriptor[]>;
  listResourceTemplates(): Promise<ResourceTemplateDescriptor[]>;
  readResource(server: string, uri: string, options?: { signal?: AbortSignal }): Promise<ResourceContents>;
  listPrompts(): Promise<PromptDescriptor[]>;
  getPrompt(server: string, name: string, args?: Record<string, string>, options?: { signal?: AbortSignal }): Promise<PromptMessages>;
  /** Replaces the workspace roots and tells every connected server (`notifications/roots/list_changed`). */
  setRoots(paths: readonly string[]): Promise<void>;
}

const ANNOTATION_KEYS = ['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

function pickAnnotations(raw: unknown): ToolAnnotations | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const source = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ANNOTATION_KEYS) {
    const value = source[key];
    if (key === 'title' ? typeof value === 'string' : typeof value === 'boolean') out[key] = value;
  }
  return Object.keys(out).length > 0 ? (out as ToolAnnotations) : undefined;
}

function validateSpecs(specs: readonly ServerSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!SERVER_NAME.test(spec.name)) throw new Error(`MCP server name ${JSON.stringify(spec.name)} must match ${SERVER_NAME}`);
    if (seen.has(spec.name)) throw new Error(`MCP server name ${JSON.stringify(spec.name)} is configured twice`);
    seen.add(spec.name);
  }
}

export function createToolHost(servers: ServerSpec[], options: ToolHostOptions = {}): SupervisedToolHost {
  validateSpecs(servers);
  const log = options.log ?? silentLogger;
  const callTimeoutMs = options.callTimeoutMs ?? 660_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxCallDurationMs = options.maxCallDurationMs ?? 1_800_000;
  let roots: readonly string[] = [...(options.roots ?? [])];
  const snapshot = (): ServerStatus[] => [...supervised.values()].map((s) => s.status());
  const onServersChanged = options.onServersChanged;
  const supervised: Map<string, SupervisedServer> = new Map(
    servers.map((spec) => {
      const authProvider = spec.transport === 'stdio' ? undefined : options.authProviderFor?.(spec);
      const hooks = {
        roots: () => roots,
        ...(options.elicitor !== undefined ? { elicitor: options.elicitor } : {}),
        ...(options.sampling !== undefined ? { sampling: options.sampling } : {}),
        ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
        ...(authProvider !== undefined ? { authProvider } : {}),
        ...(options.onToolsChanged !== undefined ? { onToolsChanged: options.onToolsChanged } : {}),
        ...(options.onListChanged !== undefined ? { onListChanged: options.onListChanged } : {}),
        ...(onServersChanged !== undefined ? { onStateChange: () => onServersChanged(snapshot()) } : {}),
        ...(options.connectTransport !== undefined ? { connectTransport: options.connectTransport } : {}),
      };
      return [spec.name, new SupervisedServer(spec, log, connectTimeoutMs, Date.now, hooks)];
    }),
  );
  // Each server's first connection; a call waits only for its own server, listTools for all of them.
  const firstConnect = new Map([...supervised].map(([name, s]) => [name, s.start()]));
  const started = Promise.all(firstConnect.values());
  let closed = false;

  function descriptors(): ToolDescriptor[] {
    const out: ToolDescriptor[] = [];
    for (const server of supervised.values()) {
      if (!server.isUp) continue;
      for (const tool of server.tools) {
        const annotations = pickAnnotations(tool.annotations);
        out.push({
          name: `${server.spec.name}.${tool.name}`,
          server: server.spec.name,
          tool: tool.name,
          description: tool.description ?? '',
          inputSchema: tool.inputSchema as Record<string, unknown>,
          ...(annotations !== undefined ? { annotations } : {}),
        });
      }
    }
    return out;
  }

  function unknownTool(name: string): ToolHostError {
    const matches = closeMatches(
      name,
      descriptors().map((d) => d.name),
    );
    const hint = matches.length > 0 ? `; did you mean ${matches.map((m) => `\`${m}\``).join(', ')}?` : '';
    return new ToolHostError('unknown_tool', `there is no tool named \`${name}\`${hint}`);
  }

  async function callTool(name: string, args: Record<string, unknown>, callOptions: ToolCallOptions = {}): Promise<ToolCallResult> {
    if (closed) throw new ToolHostError('server_unavailable', 'the tool host has been closed');
    let parts: { server: string; tool: string };
    try {
      parts = splitToolName(name);
    } catch {
      await started;
      throw unknownTool(name);
    }
    const server = supervised.get(parts.server);
    if (server === undefined) {
      await started; // the suggestions should cover every server's tools
      throw unknownTool(name);
    }
    await firstConnect.get(parts.server);
    if (server.isUp && !server.tools.some((t) => t.name === parts.tool)) throw unknownTool(name);
    const signal = callOptions.signal;
    if (signal?.aborted) throw new ToolHostError('cancelled', `the call to ${name} was cancelled`);

    const client = await server.ensureClient();
    if (!server.tools.some((t) => t.name === parts.tool)) throw unknownTool(name);
    const timeoutMs = callOptions.timeoutMs ?? callTimeoutMs;
    const totalMs = Math.max(timeoutMs, maxCallDurationMs);
    const onProgress = callOptions.onProgress;
    // The SDK leaves its abort listener on the signal it is given; a task's signal outlives hundreds of calls, so
    // each call gets its own signal, linked to the task's only while the call runs.
    const perCall = new AbortController();
    const forward = () => perCall.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    try {
      // A progress callback is always given so the SDK sends a progressToken: progress is what lets a long call
      // outlive its timeout. The SDK drops a result that arrives after cancellation (unknown request id).
      const send = () =>
        client.callTool({ name: parts.tool, arguments: args }, undefined, {
          timeout: timeoutMs,
          resetTimeoutOnProgress: true,
          maxTotalTimeout: totalMs,
          signal: perCall.signal,
          onprogress: (p) => {
            if (onProgress === undefined) return;
            try {
              onProgress({
                progress: p.progress,
                ...(p.total !== undefined ? { total: p.total } : {}),
                ...(p.message !== undefined ? { message: p.message } : {}),
              });
            } catch (error) {
              log.warn(`progress callback for ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
            }
          },
        });
      let result;
      try {
        result = await send();
      } catch (error) {
        // A 401/403 mid-session (expired grant, step-up to a wider scope): the server refused the request, so it did
        // not run and sending it again after the user signs in is no replay.
        if (!(error instanceof UnauthorizedError) || !(await server.completeAuthorization())) throw error;
        result = await send();
      }
      server.noteHealthy();
      return formatCallResult(result);
    } catch (error) {
      if (signal?.aborted) throw new ToolHostError('cancelled', `the call to ${name} was cancelled`);
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        throw new ToolHostError(
          'timeout',
          `${name} did not answer within ${timeoutMs} ms (or ran past ${totalMs} ms in all); the server was told to cancel it`,
        );
      }
      if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
        throw new ToolHostError('server_unavailable', server.describeLoss());
      }
      if (error instanceof McpError) throw new ToolHostError('protocol', `${name} failed: ${error.message}`);
      // Anything else failed below the protocol: the request could not be sent or the HTTP server is unreachable.
      throw new ToolHostError(
        'server_unavailable',
        `${name} could not reach MCP server ${parts.server}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  /** Gathers one list from every connected server; a server that fails is logged and skipped. */
  async function fromEachServer<T>(what: string, fetch: (server: string, client: Client) => Promise<T[]>): Promise<T[]> {
    await started;
    const lists = await Promise.all(
      [...supervised.values()].map(async (server) => {
        const client = server.connectedClient;
        if (client === undefined) return [];
        try {
          return await fetch(server.spec.name, client);
        } catch (error) {
          log.warn(`MCP server ${server.spec.name}: could not list its ${what}: ${error instanceof Error ? error.message : String(error)}`);
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /** A connected client for a request to one named server, with the host's errors for the usual failures. */
  async function clientFor(serverName: string): Promise<Client> {
    if (closed) throw new ToolHostError('server_unavailable', 'the tool host has been closed');
    const server = supervised.get(serverName);
    if (server === undefined) throw new ToolHostError('unknown_tool', `there is no MCP server named ${JSON.stringify(serverName)}`);
    await firstConnect.get(serverName);
    return server.ensureClient();
  }

  function serverNamed(name: string): SupervisedServer {
    const server = supervised.get(name);
    if (server === undefined) throw new ToolHostError('unknown_tool', `there is no MCP server named ${JSON.stringify(name)}`);
    return server;
  }

  async function request<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ToolHostError) throw error;
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) throw new ToolHostError('timeout', `${what} timed out`);
      if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed)
        throw new ToolHostError('server_unavailable', `${what} failed: the server closed the connection`);
      throw new ToolHostError('protocol', `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    async listTools() {
      await started;
      return descriptors();
    },
    callTool,
    servers: snapshot,
    async restartServer(name) {
      if (closed) throw new ToolHostError('server_unavailable', 'the tool host has been closed');
      const server = serverNamed(name);
      await server.restart();
      return server.status();
    },
    async stopServer(name) {
      const server = serverNamed(name);
      await server.stop();
      return server.status();
    },
    listResources: () => fromEachServer('resources', (server, client) => listServerResources(server, client, connectTimeoutMs)),
    listResourceTemplates: () => fromEachServer('resource templates', (server, client) => listServerResourceTemplates(server, client, connectTimeoutMs)),
    listPrompts: () => fromEachServer('prompts', (server, client) => listServerPrompts(server, client, connectTimeoutMs)),
    async readResource(serverName, uri, requestOptions = {}) {
      const client = await clientFor(serverName);
      return request(`reading ${uri} from ${serverName}`, async () => {
        const result = await client.readResource({ uri }, { timeout: callTimeoutMs, ...(requestOptions.signal ? { signal: requestOptions.signal } : {}) });
        return result.contents;
      });
    },
    async getPrompt(serverName, promptName, args = {}, requestOptions = {}) {
      const client = await clientFor(serverName);
      return request(`prompt ${serverName}.${promptName}`, () =>
        client.getPrompt(
          { name: promptName, arguments: args },
          { timeout: callTimeoutMs, ...(requestOptions.signal ? { signal: requestOptions.signal } : {}) },
        ),
      );
    },
    async setRoots(paths) {
      roots = [...paths];
      await Promise.all([...supervised.values()].map((s) => s.notifyRootsChanged()));
    },
    async close() {
      closed = true;
      await Promise.all([...supervised.values()].map((s) => s.close()));
    },
  };
}
