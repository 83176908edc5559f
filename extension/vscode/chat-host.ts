// The VS Code side of the chat view's services: settings and SecretStorage for the setup form, the clipboard and the
// active editor for code blocks, workspace files for @-mentions, file reads for per-hunk review and the project's
// permissions file for "Always". Loaded with the view services (not at activation).
import * as vscode from 'vscode';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { promises as fsp } from 'node:fs';
import type { AgentItem, MentionItem, SlashCommandItem } from '../protocol/messages.js';
import { loadWorkflows } from '../core/workflows/catalog.js';
import { BUILTIN_COMMANDS } from '../core/workflows/slash.js';
import type { SetupServices } from './chat-controller.js';
import { testConnection, normaliseBaseUrl, modelProblem } from './setup-connection.js';
import { API_KEY_SECRET, readApiKey } from './secrets.js';
import { addAllowRule } from './chat-always-rule.js';

import type { TillerConfig } from './config.js';
import { resourceItems } from './mention-items.js';

const SECTION = 'tiller';

export function setupServices(secrets: vscode.SecretStorage, loadConfig: () => Promise<TillerConfig>): SetupServices {
  return {
    async test(baseUrl, apiKey) {
      const config = await loadConfig().catch(() => undefined);
      const key = apiKey ?? (await readApiKey(secrets));
      return testConnection(baseUrl, key, config?.model.headers ? { headers: config.model.headers } : {});
    },
    async save(input) {
      const checked = normaliseBaseUrl(input.baseUrl);
      if (!checked.ok) throw new Error(checked.message);
      const key = input.apiKey ?? (await readApiKey(secrets));
      const config = await loadConfig().catch(() => undefined);
      const listed = await testConnection(checked.baseUrl, key, config?.model.headers ? { headers: config.model.headers } : {});
      // An endpoint without a model list (404 on /models, or an empty one) takes the typed name as it is.
      const models = listed.ok ? listed.models : [];
      for (const m of [input.model, input.smallModel]) {
        const problem = m ? modelProblem(m, models) : undefined;
        if (problem) throw new Error(problem);
      }
      // The key first: settings changes make the view re-read the state, which should then find the key.
      if (input.apiKey) await secrets.store(API_KEY_SECRET, input.apiKey);
      const cfg = vscode.workspace.getConfiguration(SECTION);
      // User (global) scope: these settings are machine-scoped and read from the user's settings only (config.ts).
      await cfg.update('baseUrl', checked.baseUrl, vscode.ConfigurationTarget.Global);
      await cfg.update('model', input.model, vscode.ConfigurationTarget.Global);
      await cfg.update('smallModel', input.smallModel ?? '', vscode.ConfigurationTarget.Global);
    },
    async hasKey() {
      return (await readApiKey(secrets)) !== undefined;
    },
  };
}

export async function insertCode(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Tiller: open an editor and place the cursor where the code should go.');
    return;
  }
  await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
}

export async function copyText(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
}

const SPECIAL: MentionItem[] = [
  { value: 'problems', kind: 'problems', detail: 'Errors and warnings in the workspace' },
  { value: 'diff', kind: 'diff', detail: 'Uncommitted changes (git diff)' },
  { value: 'terminal', kind: 'terminal', detail: "The active terminal's recent output" },
];

/** Files whose path contains the query (case-insensitive), plus the special mentions that start with it, plus the
 * MCP resources the servers offered in the last task. */
export async function mentionItems(query: string, resources: readonly { server: string; uri: string; name: string }[] = []): Promise<MentionItem[]> {
  const q = query.trim().toLowerCase();
  const special = [...SPECIAL.filter((s) => s.value.startsWith(q)), ...resourceItems(q, resources)];
  // Glob metacharacters in the query are taken literally by escaping them out of the pattern.
  const safe = q.replace(/[^a-z0-9._/-]/g, '');
  const pattern = safe ? `**/*${safe.split('/').pop()}*` : '**/*';
  const uris = await vscode.workspace.findFiles(pattern, '{**/node_modules/**,**/.git/**,**/dist/**}', 200);
  const files = uris
    .map((u) => vscode.workspace.asRelativePath(u, false))
    .filter((p) => p.toLowerCase().includes(safe))
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .slice(0, 30)
    .map((p): MentionItem => ({ value: p, kind: 'file' }));
  return [...special, ...(await symbolItems(safe)), ...files];
}

const SYMBOL_TIMEOUT_MS = 1500;

/** Workspace symbols from the language servers, as `@symbol:Name` (the harness resolves it); none when there are none. */
async function symbolItems(query: string): Promise<MentionItem[]> {
  if (query.length < 2 || query.includes('/')) return [];
  const lookup = Promise.resolve(vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', query)).catch(
    () => undefined,
  );
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SYMBOL_TIMEOUT_MS).unref?.());
  const symbols = (await Promise.race([lookup, timeout])) ?? [];
  return symbols
    .filter((sym) => /^[\w$.#:]+$/.test(sym.name))
    .slice(0, 10)
    .map((sym) => ({ value: `symbol:${sym.name}`, kind: 'symbol' as const, detail: vscode.workspace.asRelativePath(sym.location.uri, false) }));
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** A workspace file's content for per-hunk review; null when missing. Refuses paths that leave the workspace. */
export async function readWorkspaceFile(relative: string): Promise<string | null> {
  const root = workspaceRoot();
  if (!root) throw new Error('no workspace folder is open');
  if (relative.split(/[\\/]/).includes('..') || /^([a-zA-Z]:|[\\/])/.test(relative)) throw new Error(`${relative} is outside the workspace`);
  try {
    return await fsp.readFile(join(root, relative), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function addProjectAllowRule(rule: string): Promise<void> {
  const root = workspaceRoot();
  if (!root) throw new Error('no workspace folder is open');
  // TILLER_HOME as the harness reads it (core/harness.ts tillerHome), without loading the harness into this bundle.
  await addAllowRule(root, rule, process.env.TILLER_HOME || join(homedir(), '.tiller'));
}

/**
 * The slash commands (built in, then the workflow files') and custom agents of the first workspace folder, for the
 * composer. Read fresh each time: they are small files, and one may have been added since.
 */
export async function workflowItems(loadConfig: () => Promise<TillerConfig>): Promise<{ commands: SlashCommandItem[]; agents: AgentItem[] }> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const builtins: SlashCommandItem[] = Object.entries(BUILTIN_COMMANDS).map(([name, b]) => ({
    name,
    description: b.description,
    ...(b.argumentHint ? { argumentHint: b.argumentHint } : {}),
    source: 'built-in',
  }));
  if (!root) return { commands: builtins, agents: [] };
  const config = await loadConfig().catch(() => undefined);
  const models = config ? { large: config.model.largeModel, ...(config.model.smallModel ? { small: config.model.smallModel } : {}) } : undefined;
  const catalog = loadWorkflows({ workspaceRoot: root, tillerHome: process.env.TILLER_HOME || join(homedir(), '.tiller') }, models);
  return {
    commands: [
      ...builtins,
      ...catalog.commands.map((c) => ({
        name: c.name,
        description: c.description.slice(0, 2000),
        ...(c.argumentHint ? { argumentHint: c.argumentHint.slice(0, 500) } : {}),
        source: c.source,
      })),
    ],
    agents: catalog.agents.map((a) => ({ name: a.name, description: a.description.slice(0, 2000), source: a.source })),
  };
}
