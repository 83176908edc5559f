// VS Code's one consent prompt for everything a repository asks to be trusted with (MCP servers, the allow rules of
// `.tiller/permissions.json` and `.claude/settings.json`, hooks): a modal dialog listing exactly what the consent covers. The core decides
// when to ask and stores the answer against the content's hash (core/storage/consent-store.ts).
import * as vscode from 'vscode';
import type { ConsentRequest } from '../core/storage/consent-store.js';

export async function askWorkspaceConsent(request: ConsentRequest): Promise<boolean> {
  const detail =
    `${request.shown.join('\n')}\n\nFrom ${request.origin} in ${request.workspace}. ` +
    (request.kind === 'mcp-server'
      ? 'Only start servers you trust: they run with your permissions.'
      : request.kind === 'hooks'
        ? 'Only agree if you trust this repository: these commands run (inside the sandbox) at every matching event. Any change to them or to the scripts they name asks again.'
        : 'Only agree if you trust this repository: these rules let the agent act without asking you. Any change to the file asks again.');
  const answer = await vscode.window.showWarningMessage(`This workspace's ${request.origin} wants to ${request.wants}`, { modal: true, detail }, request.agree);
  return answer === request.agree;
}
