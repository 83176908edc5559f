// Lifecycle hooks in Claude Code's schema — `{"hooks": {"<Event>": [{"matcher": "<regex>", "hooks": [{"type":
// "command", "command": "...", "timeout": <seconds>}]}]}}` — read from the user's `$TILLER_HOME/settings.json` and the
// project's `.tiller/settings.json` and `.claude/settings.json`. Each group is validated on its own, so one bad entry is
// reported (file and line) and the rest still load. Project hooks are code from the repository: they are listed here
// and started only after consent (consent.ts).
import { join } from 'node:path';
import { z } from 'zod';
import { readSettingsFile, type SettingsFile, type SettingsProblem } from '../../policy/settings-file.js';

export const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SubagentStop', 'PreCompact'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Where a hook came from: the user's own settings need no consent, the repository's do. */
export type HookSource = 'user' | 'project';

/** Claude Code's default: a hook that has not finished in a minute is killed. */
export const DEFAULT_HOOK_TIMEOUT_SEC = 60;
const MAX_HOOK_TIMEOUT_SEC = 600;

export interface HookCommand {
  event: HookEvent;
  /** As written; empty when absent (matches every tool). */
  matcher: string;
  command: string;
  timeoutSec: number;
  source: HookSource;
  /** The settings file it came from, as shown to the user. */
  file: string;
}

/** The project's settings files, workspace-relative (forward slashes: they are consent-store names too). */
export const PROJECT_SETTINGS_FILES = ['.tiller/settings.json', '.claude/settings.json'] as const;
export const USER_SETTINGS_FILE = 'settings.json';

const commandSchema = z.object({
  type: z.literal('command', { message: 'only `"type": "command"` hooks are supported' }),
  command: z.string().trim().min(1, 'the command is empty'),
  timeout: z
    .number()
    .positive('the timeout must be a positive number of seconds')
    .max(MAX_HOOK_TIMEOUT_SEC, `the timeout may be at most ${MAX_HOOK_TIMEOUT_SEC} seconds`)
    .optional(),
});
const groupSchema = z.object({
  matcher: z.string().optional(),
  hooks: z.array(z.unknown()),
});

export interface LoadedHooks {
  hooks: HookCommand[];
  problems: SettingsProblem[];
}

/** The hooks of one settings file (already read); problems name the file and line. */
export function hooksFromSettings(settings: SettingsFile, source: HookSource): LoadedHooks {
  const problems: SettingsProblem[] = [...settings.problems];
  const hooks: HookCommand[] = [];
  const root = settings.value as Record<string, unknown> | undefined;
  const section = root?.hooks;
  if (section === undefined) return { hooks, problems };
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    problems.push(settings.problem(['hooks'], '`hooks` must be an object of event names; no hook from this file is loaded'));
    return { hooks, problems };
  }
  for (const [event, groups] of Object.entries(section)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      problems.push(settings.problem(['hooks', event], `unknown hook event \`${event}\`; expected one of ${HOOK_EVENTS.join(', ')}`));
      continue;
    }
    if (!Array.isArray(groups)) {
      problems.push(settings.problem(['hooks', event], `\`hooks.${event}\` must be a list of {matcher, hooks} groups`));
      continue;
    }
    groups.forEach((group: unknown, g) => {
      const at = ['hooks', event, g];
      const parsed = groupSchema.safeParse(group);
      if (!parsed.success) {
        problems.push(
          settings.problem(
            at,
            `hooks.${event}[${g}]: ${parsed.error.issues[0]?.message ?? 'expected {matcher, hooks}'} (expected {"matcher": "...", "hooks": [...]})`,
          ),
        );
        return;
      }
      const matcher = parsed.data.matcher ?? '';
      const bad = matcherProblem(matcher);
      if (bad) {
        problems.push(settings.problem([...at, 'matcher'], `hooks.${event}[${g}].matcher: ${bad}; this group is not loaded`));
        return;
      }
      parsed.data.hooks.forEach((entry, h) => {
        const cmd = commandSchema.safeParse(entry);
        if (!cmd.success) {
          const issue = cmd.error.issues[0];
          const where = issue?.path.length ? `.${issue.path.join('.')}` : '';
          problems.push(
            settings.problem(
              [...at, 'hooks', h, ...(issue?.path.map((p) => (typeof p === 'number' ? p : String(p))) ?? [])],
              `hooks.${event}[${g}].hooks[${h}]${where}: ${issue?.message ?? 'not a hook'}`,
            ),
          );
          return;
        }
        hooks.push({
          event: event as HookEvent,
          matcher,
          command: cmd.data.command,
          timeoutSec: cmd.data.timeout ?? DEFAULT_HOOK_TIMEOUT_SEC,
          source,
          file: settings.shownAs,
        });
      });
    });
  }
  return { hooks, problems };
}

function matcherProblem(matcher: string): string | undefined {
  if (matcher === '' || matcher === '*') return undefined;
  try {
    new RegExp(matcher);
    return undefined;
  } catch (e) {
    return `not a valid regular expression (${(e as Error).message})`;
  }
}

export interface HookFiles {
  user: SettingsFile;
  project: SettingsFile[];
}

/** Reads the three settings files; the user's is always shown by its full path, the project's by their relative one. */
export function readHookFiles(workspaceRoot: string, tillerHome: string): HookFiles {
  return {
    user: readSettingsFile(join(tillerHome, USER_SETTINGS_FILE), join(tillerHome, USER_SETTINGS_FILE)),
    project: PROJECT_SETTINGS_FILES.map((rel) => readSettingsFile(join(workspaceRoot, ...rel.split('/')), rel)),
  };
}
