// Where the task stands when the harness stops it. Built from what the harness recorded, without a model call: a
// budget stop must not spend more money to explain itself.

export interface Progress {
  filesChanged: Set<string>;
  commandsRun: string[];
  lastModelText: string;
  toolCalls: number;
}

export function progressSummary(reason: string, p: Progress): string {
  const parts = [`Stopped: ${reason}.`];
  parts.push(p.filesChanged.size ? `Files changed so far: ${[...p.filesChanged].join(', ')}.` : 'No files were changed.');
  if (p.commandsRun.length) parts.push(`Commands run: ${p.commandsRun.slice(-5).join('; ')}${p.commandsRun.length > 5 ? ` (and ${p.commandsRun.length - 5} earlier)` : ''}.`);
  parts.push(`Tool calls made: ${p.toolCalls}.`);
  const note = p.lastModelText.trim();
  if (note) parts.push(`The agent's last note: "${note.length > 400 ? note.slice(0, 397) + '...' : note}"`);
  parts.push('Continue the task to pick up from here, or raise the budget.');
  return parts.join(' ');
}
