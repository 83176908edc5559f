// The hooks a session runs: the user's (no consent needed: the user wrote them) and each project settings file's, the
// latter only after consent to their exact content (consent.ts). Problems (bad JSON, a bad entry) are reported with
// file and line; the rest still loads.
import { ConsentStore, type AskConsent } from '../../storage/consent-store.js';
import { formatSettingsProblem } from '../../policy/settings-file.js';
import { hooksFromSettings, readHookFiles, type HookCommand } from './config.js';
import { hookFileContent, projectHooksConsented } from './consent.js';

export interface SessionHooksOptions {
  workspaceRoot: string;
  tillerHome: string;
  consent?: { ask?: AskConsent; remember?: boolean };
  warn: (message: string) => void;
}

export interface SessionHooks {
  hooks: HookCommand[];
  /** Problems and hooks left out (no consent), for the user to see. */
  warnings: string[];
}

export async function loadSessionHooks(options: SessionHooksOptions): Promise<SessionHooks> {
  const files = readHookFiles(options.workspaceRoot, options.tillerHome);
  const warnings: string[] = [];
  const user = hooksFromSettings(files.user, 'user');
  warnings.push(...user.problems.map(formatSettingsProblem));
  const hooks: HookCommand[] = [...user.hooks];
  const store = new ConsentStore(options.tillerHome, options.warn);
  for (const file of files.project) {
    const loaded = hooksFromSettings(file, 'project');
    warnings.push(...loaded.problems.map(formatSettingsProblem));
    if (loaded.hooks.length === 0) continue;
    const content = hookFileContent(file.shownAs, loaded.hooks, options.workspaceRoot);
    const consented = await projectHooksConsented(options.workspaceRoot, content, {
      store,
      ...(options.consent?.ask ? { ask: options.consent.ask } : {}),
      remember: options.consent?.remember !== false,
    });
    if (consented) hooks.push(...loaded.hooks);
    else
      warnings.push(
        `${file.shownAs}: its ${loaded.hooks.length} hook(s) do not run: you have not agreed to this content. Agree when asked, or run the CLI with --trust-workspace-config.`,
      );
  }
  for (const w of warnings) options.warn(w);
  return { hooks, warnings };
}
