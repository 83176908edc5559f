// A configured MCP server as read from one of its sources, before any variable is resolved: exactly what the file
// says, so it can be shown to the user and hashed for consent.
import type { McpInput } from './schema.js';

export type ServerSource = 'user' | 'workspace';

export interface ConfiguredServer {
  name: string;
  source: ServerSource;
  /** Where the entry was read, for messages: `.vscode/mcp.json`, `.mcp.json` or `tiller.mcpServers`. */
  origin: string;
  transport: 'stdio' | 'http' | 'sse';
  command?: string;
  args: string[];
  env: Record<string, string>;
  /** Dropped env entries (`null` in VS Code's format means "unset"). */
  unsetEnv: string[];
  envFile?: string;
  cwd?: string;
  url?: string;
  headers: Record<string, string>;
  /** The `${input:ID}` declarations the entry may use (VS Code's `inputs`). */
  inputs: McpInput[];
  /** From the user's settings only; always false for workspace servers. */
  trusted: boolean;
  /** sha256 of the canonical JSON of the entry as written (and its env file's bytes, if any). */
  hash: string;
}

export interface LoadResult {
  servers: ConfiguredServer[];
  /** One message per file or entry that was skipped, naming the file and the field. */
  errors: string[];
}
