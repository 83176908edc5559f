// The task text the editor's selection commands send to the chat: what to do, the file and line range, and the
// selected code (capped), so the model can answer without first searching for what the user is looking at.
export type SelectionAction = 'ask' | 'explain' | 'fix' | 'test';

export interface SelectionContext {
  /** Workspace-relative path with forward slashes. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  languageId: string;
}

const MAX_SELECTION_CHARS = 8000;

const INSTRUCTION: Record<Exclude<SelectionAction, 'ask'>, string> = {
  explain: 'Explain what this code does, step by step, and anything surprising in it.',
  fix: 'Find and fix the bugs in this code. Propose the edit; keep the change small.',
  test: "Write tests for this code that follow the project's existing test conventions.",
};

export function selectionTask(action: SelectionAction, sel: SelectionContext, question?: string): string {
  const where = sel.startLine === sel.endLine ? `${sel.path}:${sel.startLine}` : `${sel.path}:${sel.startLine}-${sel.endLine}`;
  const what = action === 'ask' ? (question ?? '').trim() : INSTRUCTION[action];
  const selected = sel.text.replace(/\r?\n$/, '');
  const text = selected.length > MAX_SELECTION_CHARS ? `${selected.slice(0, MAX_SELECTION_CHARS)}\n[… selection cut; read the file for the rest]` : selected;
  const fence = text.includes('```') ? '````' : '```';
  return `${what}\n\nSelection: @${where}\n${fence}${sel.languageId}\n${text}\n${fence}`;
}

export interface ProblemContext {
  path: string;
  problems: { line: number; severity: string; message: string; source?: string }[];
}

export function fixProblemsTask(ctx: ProblemContext): string {
  const list = ctx.problems
    .slice(0, 50)
    .map((p) => `- line ${p.line} (${p.severity}${p.source ? `, ${p.source}` : ''}): ${p.message.replace(/\s+/g, ' ').slice(0, 300)}`)
    .join('\n');
  return `Fix the problems VS Code reports in @${ctx.path}:\n${list}`;
}
