// Problems in the project's settings files Tiller reads — `.tiller/settings.json` and `.claude/settings.json` (hooks,
// and for the latter its `permissions`) — as LSP diagnostics with file and line, so a broken hook or an untranslatable
// rule shows in the Problems view while the file is edited, not only when a task starts.
import { homedir } from 'node:os';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { parseSettingsText, type SettingsProblem } from '../core/policy/settings-file.js';
import { claudeRulesFromSettings, CLAUDE_SETTINGS_NAME } from '../core/policy/claude-permissions.js';
import { hooksFromSettings, PROJECT_SETTINGS_FILES } from '../core/agent/hooks/config.js';

export const SETTINGS_FILES: readonly string[] = PROJECT_SETTINGS_FILES;

export function settingsFileDiagnostics(rel: string, text: string): Diagnostic[] {
  const settings = parseSettingsText(text, rel, rel);
  const problems: SettingsProblem[] = [...hooksFromSettings(settings, 'project').problems];
  if (rel === CLAUDE_SETTINGS_NAME) {
    // Parse problems are already in the hooks' list; the permissions add their own.
    problems.push(...claudeRulesFromSettings(settings, process.env.HOME ?? homedir()).problems.filter((p) => !settings.problems.includes(p)));
  }
  const lines = text.split('\n');
  return problems.map((p) => {
    const line = Math.max(0, Math.min((p.line ?? 1) - 1, lines.length - 1));
    return {
      severity: DiagnosticSeverity.Warning,
      range: { start: { line, character: 0 }, end: { line, character: lines[line]?.replace(/\r$/, '').length ?? 0 } },
      message: p.message,
      source: 'tiller',
    };
  });
}
