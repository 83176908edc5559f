// The tool host's contract. Every tool the agent can use is an MCP tool reached through a ToolHost; there is no
// in-process shortcut around the host and the permission gate.
import type { JsonSchema } from '../model/types.js';

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolDescriptor {
  /** Namespaced name `server.tool`, the form policy rules use: `mcp(workspace.read_file)`. */
  name: string;
  server: string;
  tool: string;
  description: string;
  inputSchema: JsonSchema;
  /** Hints only, unless the server is trusted by the user. */
  annotations?: ToolAnnotations;
  /** The user marked this tool's server trusted in their settings: its annotations may spare a question. */
  trusted?: boolean;
}

export interface ToolCallResult {
  /** Text for the model (MCP text content joined; other content summarised). */
  content: string;
  /** MCP `structuredContent`, when the tool returned one. */
  structured?: Record<string, unknown>;
  /** The tool reported failure (`isError`) or the call failed. */
  isError: boolean;
  /** Served from the per-task result cache rather than by the server. */
  cached?: boolean;
  /** MCP image content, base64 as the server sent it: the loop checks and stores it and shows it to the model. */
  images?: ToolImage[];
}

export interface ToolImage {
  mimeType: string;
  data: string;
}

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface ToolCallOptions {
  signal?: AbortSignal;
  /** Silence allowed between progress notifications; each one restarts it (capped by the host's total). */
  timeoutMs?: number;
  /** Receives the server's `notifications/progress` for this call. */
  onProgress?: (progress: ToolProgress) => void;
}

export interface ToolHost {
  listTools(): Promise<ToolDescriptor[]>;
  /** `name` is the namespaced `server.tool`. Throws ToolHostError for an unknown tool or a dead server. */
  callTool(name: string, args: Record<string, unknown>, options?: ToolCallOptions): Promise<ToolCallResult>;
  close(): Promise<void>;
}

export class ToolHostError extends Error {
  constructor(
    readonly kind: 'unknown_tool' | 'server_unavailable' | 'timeout' | 'cancelled' | 'protocol',
    message: string,
  ) {
    super(message);
    this.name = 'ToolHostError';
  }
}

/** Where a configured server came from; built-in servers carry none of this. */
export interface ServerOrigin {
  /** `user`: the user's settings; `workspace`: a file the repository brings (`.vscode/mcp.json`, `.mcp.json`). */
  source?: 'user' | 'workspace';
  /** sha256 of the server's config entry as written; consent and tool pins are tied to it. */
  configHash?: string;
  /** Set by the user in their settings only: the server's tool annotations are believed. */
  trusted?: boolean;
}

/** How to reach one MCP server. `name` becomes the namespace of its tools and must match /^[a-zA-Z0-9_-]+$/. */
export type ServerSpec = ServerOrigin &
  (
    | { name: string; transport: 'stdio'; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
    /** `http` tries Streamable HTTP and falls back to the legacy HTTP+SSE transport; `sse` goes straight to SSE. */
    | { name: string; transport: 'http' | 'sse'; url: string; headers?: Record<string, string> }
  );
