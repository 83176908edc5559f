// The one size limit on a task, shared by the chat view (checked before it sends), the extension (which refuses
// anything larger that still arrives) and the CLI (which exits 2). A task is typed by a person; beyond this it is a
// paste accident, and sending it would spend a prompt's worth of tokens on it. No imports: the webview bundles it.

/** The most characters a task may have. */
export const MAX_TASK_CHARS = 100_000;

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** What the chat view suggests; the CLI says it its own way. */
const MENTION_ADVICE = 'Put long text in a file in the workspace and mention it with @path instead.';

/** Why this task cannot be sent, or undefined when it can. Names both sizes and what to do instead. */
export function taskSizeProblem(task: string, advice = MENTION_ADVICE): string | undefined {
  if (task.length <= MAX_TASK_CHARS) return undefined;
  return `The task is ${count(task.length)} characters long; Tiller takes at most ${count(MAX_TASK_CHARS)} characters. Nothing was sent. ${advice}`;
}
