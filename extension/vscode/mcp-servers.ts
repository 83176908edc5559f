// VS Code's side of configured MCP servers: the user's `tiller.mcpServers` (user settings only, never a workspace's),
// the workspace's `.vscode/mcp.json` and `.mcp.json` only in a trusted workspace, consent in the one modal dialog (workspace-consent.ts)
// showing the exact command line, and inputs asked with an input box (masked for passwords). Pass the result to
// `createHarness({ ..., mcp: { servers } })`.
import * as vscode from 'vscode';
import { prepareMcpServers } from '../core/tools/config/prepare.js';
import { tillerHome } from '../core/harness.js';
import type { ServerSpec } from '../core/tools/types.js';
import { askWorkspaceConsent } from './workspace-consent.js';

/** Inputs given in this window, by workspace: each task builds its harness afresh, the user answers once. */
const inputsByWorkspace = new Map<string, Map<string, string>>();

export async function configuredMcpServers(workspaceRoot: string | undefined, warn: (message: string) => void): Promise<ServerSpec[]> {
  const cfg = vscode.workspace.getConfiguration('tiller');
  const inspected = cfg.inspect('mcpServers');
  const { servers, warnings } = await prepareMcpServers({
    ...(workspaceRoot !== undefined ? { workspaceRoot } : {}),
    userServers: inspected?.globalValue,
    workspaceTrusted: vscode.workspace.isTrusted,
    home: tillerHome(),
    inputCache: cachedInputs(workspaceRoot ?? ''),
    askServerConsent: askWorkspaceConsent,
    promptInput: async (input) =>
      vscode.window.showInputBox({
        title: `MCP server "${input.server}"`,
        prompt: input.description || input.id,
        password: input.password,
        ignoreFocusOut: true,
      }),
  });
  for (const w of warnings) warn(w);
  return servers;
}

function cachedInputs(workspace: string): Map<string, string> {
  let inputs = inputsByWorkspace.get(workspace);
  if (!inputs) inputsByWorkspace.set(workspace, (inputs = new Map()));
  return inputs;
}
