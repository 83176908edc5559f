// *Tiller: Write Commit Message*: fills the Source Control input box with a message for what is staged, written by
// the small model in the repository's style (core/edits/commit-message.ts: git through the hardened runner, denied
// files withheld, a long diff cut). The git extension's API gives the input box; with several repositories, the one
// the SCM title button was pressed on, else the one holding the active editor, else the first.
import * as vscode from 'vscode';
import type { TillerConfig } from './config.js';
import { taskServices } from './deferred.js';

interface GitRepository {
  rootUri: vscode.Uri;
  inputBox: { value: string };
}
interface GitApi {
  repositories: GitRepository[];
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

function pickRepository(api: GitApi, arg: unknown): GitRepository | undefined {
  const fromButton = (arg as { rootUri?: vscode.Uri } | undefined)?.rootUri;
  if (fromButton) {
    const hit = api.repositories.find((r) => r.rootUri.toString() === fromButton.toString());
    if (hit) return hit;
  }
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  if (active) {
    const holding = api.repositories.filter((r) => active.startsWith(r.rootUri.fsPath)).sort((a, b) => b.rootUri.fsPath.length - a.rootUri.fsPath.length)[0];
    if (holding) return holding;
  }
  return api.repositories[0];
}

export async function writeCommitMessageCommand(loadConfig: () => Promise<TillerConfig>, arg: unknown): Promise<void> {
  const gitExtension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!gitExtension) {
    void vscode.window.showWarningMessage('Tiller: the built-in Git extension is not available, so there is no commit message box to fill.');
    return;
  }
  const api = (gitExtension.isActive ? gitExtension.exports : await gitExtension.activate()).getAPI(1);
  const repository = pickRepository(api, arg);
  if (!repository) {
    void vscode.window.showInformationMessage('Tiller: open a folder that is a git repository first.');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Tiller: trust this workspace first; git is not run in a restricted workspace.');
    return;
  }
  const config = await loadConfig();
  if (config.problems.length) {
    void vscode.window.showWarningMessage(`Tiller: ${config.problems[0]}`);
    return;
  }
  // The core lives in the tasks bundle (deferred.ts): activation never parses it.
  const { writeCommitMessage, CommitMessageError, createModelClient, createPolicyEngine, registerSecret } = taskServices();
  registerSecret(config.model.apiKey);
  const root = repository.rootUri.fsPath;
  try {
    const { message, changes } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.SourceControl, title: 'Tiller: writing a commit message', cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return writeCommitMessage({
          root,
          model: createModelClient(config.model),
          policy: createPolicyEngine({ workspaceRoots: [root], userRules: config.userRules }),
          signal: controller.signal,
        });
      },
    );
    repository.inputBox.value = message;
    if (changes.withheld.length)
      void vscode.window.showInformationMessage(`Tiller: the content of ${changes.withheld.join(', ')} was not shown to the model (the read rules deny it).`);
  } catch (err) {
    const text = err instanceof CommitMessageError ? err.message : `the model call failed: ${(err as Error).message}`;
    void vscode.window.showWarningMessage(`Tiller: ${text}`);
  }
}
