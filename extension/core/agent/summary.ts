// Where the task stands when the harness stops it. Built from what the harness recorded, without a model call: a
// budget stop must not spend more money to explain itself.

export interface Progress {
  filesChanged: Set<string>;
  commandsRun: string[];
  lastModelText: string;
  toolCalls: number;
}

/** Ends `text` with one full stop, unless it already ends a sentence ("?." and ".." are what this prevents). */
export function sentence(text: string): string {
  const t = text.trim().replace(/[\s:;,]+$/, '');
  return /[.?!…]$/.test(t) ? t : `${t}.`;
}

/** What to do next, by why the task stopped: only a budget stop can be helped by raising a budget. */
export const NEXT_STEP = {
  budget: 'Continue the task to pick up from here, or raise the budget.',
  denied: 'Continue the task to pick up from here, or say what to do instead.',
  cancelled: 'Continue the task to pick up from here.',
  failed: 'Continue the task to pick up from here once the problem above is fixed.',
} as const;

export function progressSummary(reason: string, p: Progress, next: string = NEXT_STEP.budget): string {
  const parts = [sentence(`Stopped: ${reason.trim().replace(/^stopped:\s*/i, '')}`)];
  parts.push(p.filesChanged.size ? `Files changed so far: ${[...p.filesChanged].join(', ')}.` : 'No files were changed.');
  if (p.commandsRun.length)
    parts.push(`Commands run: ${p.commandsRun.slice(-5).join('; ')}${p.commandsRun.length > 5 ? ` (and ${p.commandsRun.length - 5} earlier)` : ''}.`);
  parts.push(`Tool calls made: ${p.toolCalls}.`);
  const note = p.lastModelText.trim();
  if (note) parts.push(`The agent's last note: "${note.length > 400 ? note.slice(0, 397) + '...' : note}"`);
  parts.push(next);
  return parts.join(' ');
}
