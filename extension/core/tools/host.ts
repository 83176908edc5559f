// The MCP tool host: connects every configured server concurrently, exposes their tools as `server.tool`, and
// routes calls with timeouts and cancellation. A server that fails never blocks or ends the session: it is
// logged and its tools are simply absent until it comes back.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { silentLogger, type Logger } from '../ports.js';
import { closeMatches } from './close-matches.js';
import { SERVER_NAME, splitToolName } from './naming.js';
import { formatCallResult } from './result-format.js';
import { SupervisedServer, type ServerStatus } from './supervisor.js';
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
}

export interface SupervisedToolHost extends ToolHost {
  /** Per-server state, pid and stderr tail, for diagnostics. */
  servers(): ServerStatus[];
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
  const supervised = new Map(servers.map((spec) => [spec.name, new SupervisedServer(spec, log, options.connectTimeoutMs ?? 10_000)]));
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
    const matches = closeMatches(name, descriptors().map((d) => d.name));
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
    // The SDK leaves its abort listener on the signal it is given; a task's signal outlives hundreds of calls, so
    // each call gets its own signal, linked to the task's only while the call runs.
    const perCall = new AbortController();
    const forward = () => perCall.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    try {
      const result = await client.callTool({ name: parts.tool, arguments: args }, undefined, {
        timeout: timeoutMs,
        signal: perCall.signal,
      });
      server.noteHealthy();
      return formatCallResult(result);
    } catch (error) {
      if (signal?.aborted) throw new ToolHostError('cancelled', `the call to ${name} was cancelled`);
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        throw new ToolHostError('timeout', `${name} did not answer within ${timeoutMs} ms; the server was told to cancel it`);
      }
      if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
        throw new ToolHostError('server_unavailable', server.describeLoss());
      }
      if (error instanceof McpError) throw new ToolHostError('protocol', `${name} failed: ${error.message}`);
      // Anything else failed below the protocol: the request could not be sent or the HTTP server is unreachable.
      throw new ToolHostError('server_unavailable', `${name} could not reach MCP server ${parts.server}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  return {
    async listTools() {
      await started;
      return descriptors();
    },
    callTool,
    servers: () => [...supervised.values()].map((s) => s.status()),
    async close() {
      closed = true;
      await Promise.all([...supervised.values()].map((s) => s.close()));
    },
  };
}
