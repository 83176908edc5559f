// Where the third-party MCP servers from the registry (dev dependencies) live, and `.mcp.json` entries that start them
// with this Node, so tests need no network and no npx.
import { dirname, join } from 'node:path';

function entry(pkg: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'index.js');
}

export const EVERYTHING = entry('@modelcontextprotocol/server-everything');
export const FILESYSTEM = entry('@modelcontextprotocol/server-filesystem');

/** A `.mcp.json` naming both servers; the filesystem server is confined to the workspace folder. */
export function mcpJson(): string {
  return JSON.stringify({
    mcpServers: {
      everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
      filesystem: { command: process.execPath, args: [FILESYSTEM, '${workspaceFolder}'] },
    },
  });
}
