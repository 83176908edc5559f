// What a message starting with `/` means: one of Tiller's built-in commands, a command from the workflow files, or
// (any other name) plain text for the model -- `/usr/bin is missing` is a sentence, not an error.
import type { SlashCommand } from './commands.js';

/** Built in, ahead of any file of the same name: plan mode, compaction, the cost ledger, the context inspector, a new session. */
export const BUILTIN_COMMANDS = {
  plan: { description: 'Plan first: propose a plan for the task, act after you approve it', argumentHint: '<task>' },
  compact: { description: 'Compact the conversation (Tiller compacts on its own when the history outgrows its budget)', argumentHint: '' },
  cost: { description: "Show the last task's cost ledger", argumentHint: '' },
  context: { description: 'Show what the last prompt held (the context inspector)', argumentHint: '' },
  clear: { description: 'Start a new session', argumentHint: '' },
} as const;

export type BuiltinCommandName = keyof typeof BUILTIN_COMMANDS;

export type SlashResolution =
  { kind: 'plain' } | { kind: 'builtin'; name: BuiltinCommandName; args: string } | { kind: 'command'; command: SlashCommand; args: string };

const SLASH = /^\/([A-Za-z0-9][A-Za-z0-9_.:-]*)(?:[ \t]+([\s\S]*)|\n([\s\S]*))?$/;

export function parseSlash(text: string): { name: string; args: string } | undefined {
  const m = SLASH.exec(text.trimStart());
  if (!m) return undefined;
  return { name: m[1]!, args: (m[2] ?? m[3] ?? '').trim() };
}

export function isBuiltinCommand(name: string): name is BuiltinCommandName {
  return Object.prototype.hasOwnProperty.call(BUILTIN_COMMANDS, name);
}

export function resolveSlash(text: string, commands: readonly SlashCommand[]): SlashResolution {
  const parsed = parseSlash(text);
  if (!parsed) return { kind: 'plain' };
  if (isBuiltinCommand(parsed.name)) return { kind: 'builtin', name: parsed.name, args: parsed.args };
  const command = commands.find((c) => c.name === parsed.name);
  return command ? { kind: 'command', command, args: parsed.args } : { kind: 'plain' };
}
