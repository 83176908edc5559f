// VS Code's side of configured MCP servers: the user's `tiller.mcpServers` (user settings only, never a workspace's),
// the workspace's `.vscode/mcp.json` and `.mcp.json` only in a trusted workspace, consent in the one modal dialog
// (workspace-consent.ts) showing the exact command line, and inputs asked with an input box (masked for passwords).
// Pass the result to `createHarness({ ..., mcp: { servers } })`. Also what the MCP servers view lists (every server
// with where it is configured) and its check run of one server while no task is running.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { prepareMcpServers } from '../core/tools/config/prepare.js';
import { consentRequest, ConsentStore, serverConsentSubject } from '../core/tools/config/consent.js';
import { loadMcpServers } from '../core/tools/config/load.js';
import { builtinServerSpecs } from '../core/tools/builtin.js';
import { createToolHost } from '../core/tools/host.js';
import { containWorkspaceServers } from '../core/tools/sandboxed-servers.js';
import { loadProjectRules } from '../core/policy/load.js';
import { detectCaseInsensitive } from '../core/policy/paths.js';
import type { RawRules } from '../core/policy/rules.js';
import { readSettings, resolveConfig } from './config.js';
import type { ServerStatus } from '../core/tools/supervisor.js';
import { tillerHome } from '../core/harness.js';
import type { ServerSpec } from '../core/tools/types.js';
import type { McpServerEntry } from './mcp-servers-model.js';
import { userSettingsLabel } from './settings-location.js';
import { askWorkspaceConsent } from './workspace-consent.js';

/** Inputs given in this window, by workspace: each task builds its harness afresh, the user answers once. */
const inputsByWorkspace = new Map<string, Map<string, string>>();

/** Told when the consent dialog for a server opens and how it was answered (the servers view shows it). */
export interface ConsentObserver {
  consentAsked(name: string): void;
  consentAnswered(name: string, granted: boolean): void;
}

export async function configuredMcpServers(
  workspaceRoot: string | undefined,
  warn: (message: string) => void,
  observer?: ConsentObserver,
  only?: string,
): Promise<ServerSpec[]> {
  const cfg = vscode.workspace.getConfiguration('tiller');
  const inspected = cfg.inspect('mcpServers');
  const { servers, warnings } = await prepareMcpServers({
    ...(workspaceRoot !== undefined ? { workspaceRoot } : {}),
    ...(only !== undefined ? { only } : {}),
    userServers: inspected?.globalValue,
    workspaceTrusted: vscode.workspace.isTrusted,
    home: tillerHome(),
    inputCache: cachedInputs(workspaceRoot ?? ''),
    askServerConsent: async (request) => {
      // The servers view shows a server as waiting for consent while the one consent dialog is open.
      observer?.consentAsked(request.server);
      const agreed = await askWorkspaceConsent(request);
      observer?.consentAnswered(request.server, agreed);
      return agreed;
    },
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

const BUILTIN: readonly { name: string; target: string }[] = [
  { name: 'workspace', target: "Tiller's workspace server: read, search and edit files of the workspace" },
  { name: 'shell', target: "Tiller's shell server: run commands in the workspace" },
];

/** Every server Tiller would host in this workspace, with where it is configured; problems name the file and field. */
export function mcpServerEntries(workspaceRoot: string | undefined): { entries: McpServerEntry[]; problems: string[] } {
  const loaded = loadMcpServers({
    ...(workspaceRoot !== undefined ? { workspaceRoot } : {}),
    userServers: vscode.workspace.getConfiguration('tiller').inspect('mcpServers')?.globalValue,
  });
  const consent = new ConsentStore(tillerHome());
  const trusted = vscode.workspace.isTrusted;
  const entries: McpServerEntry[] = BUILTIN.map((b) => ({ ...b, source: 'builtin', origin: 'built in' }));
  for (const server of loaded.servers) {
    const request = workspaceRoot !== undefined ? consentRequest(server, workspaceRoot) : undefined;
    const target = request?.commandLine ?? request?.url ?? server.url ?? [server.command, ...server.args].join(' ');
    if (server.source === 'user') {
      entries.push({ name: server.name, source: 'user', origin: `${userSettingsLabel(vscode)} › tiller.mcpServers`, target });
      continue;
    }
    const file = join(workspaceRoot!, ...server.origin.split('/'));
    entries.push({
      name: server.name,
      source: 'workspace',
      origin: server.origin,
      file,
      target,
      ...(trusted ? {} : { blocked: 'not started: the workspace is not trusted' }),
      ...(trusted && !consent.has(serverConsentSubject(server, workspaceRoot!).subject) ? { needsConsent: true } : {}),
    });
  }
  return { entries, problems: loaded.errors };
}

export interface CheckOptions {
  workspaceRoot: string;
  distDir: string;
  ripgrepPath?: string;
  warn(message: string): void;
  observer: ConsentObserver;
  onStatus(status: ServerStatus): void;
  /** The user's permission rules (tiller.permissions): their denies are hidden from a contained server too. */
  userRules?: RawRules;
  /** The sandbox settings (tiller.sandbox.allowPaths); commands and repository servers are contained either way. */
  sandbox?: { allowPaths?: string[] };
}

/**
 * Starts one server on its own (no task is running), lists its tools and stops it: whether it works, and its stderr
 * when it does not. A workspace server still needs the user's consent first; undefined when it was not given.
 */
export async function checkMcpServer(name: string, options: CheckOptions): Promise<ServerStatus | undefined> {
  const builtin = builtinServerSpecs(options.distDir, options.workspaceRoot, options.ripgrepPath !== undefined ? { ripgrepPath: options.ripgrepPath } : {});
  const configured = builtin.some((s) => s.name === name) ? [] : await configuredMcpServers(options.workspaceRoot, options.warn, options.observer, name);
  // A repository's server is the repository's code: the check run contains it exactly as a task would (the user's
  // rules and the project's restrictions; the project's allows are a grant and play no part in hiding or blocking).
  const project = loadProjectRules(options.workspaceRoot).rules;
  const user = userSandboxSettings(options.warn);
  const contained = await containWorkspaceServers(
    configured,
    {
      version: 1,
      workspaceRoots: [options.workspaceRoot],
      caseInsensitive: detectCaseInsensitive(options.workspaceRoot),
      userRules: options.userRules ?? user.userRules,
      projectRules: { deny: project.deny ?? [], ask: project.ask ?? [] },
    },
    options.sandbox ?? user.sandbox,
    { info: () => {}, warn: options.warn, error: options.warn },
  );
  const spec = builtin.find((s) => s.name === name) ?? contained.specs[0];
  if (spec === undefined) {
    await contained.close();
    return undefined;
  }
  const host = createToolHost([spec], {
    roots: [options.workspaceRoot],
    onServersChanged: (servers) => servers.forEach(options.onStatus),
  });
  try {
    await host.listTools();
    return host.servers()[0];
  } finally {
    await host.close();
    await contained.close();
  }
}

/** The user's rules and sandbox paths as a task reads them (settings that do not parse add nothing, and say so). */
function userSandboxSettings(warn: (message: string) => void): { userRules: RawRules; sandbox: { allowPaths: string[] } } {
  try {
    const config = resolveConfig(readSettings(vscode.workspace.getConfiguration('tiller')), undefined, {});
    return { userRules: config.userRules, sandbox: { allowPaths: config.sandboxAllowPaths ?? [] } };
  } catch (error) {
    warn(`MCP server check: ${(error as Error).message}`);
    return { userRules: {}, sandbox: { allowPaths: [] } };
  }
}

function cachedInputs(workspace: string): Map<string, string> {
  let inputs = inputsByWorkspace.get(workspace);
  if (!inputs) inputsByWorkspace.set(workspace, (inputs = new Map()));
  return inputs;
}
