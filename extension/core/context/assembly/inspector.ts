// The context inspector's data: every part of the last prompt with its size and why it is there, for the UI.

/** `agent`: a custom agent's instructions; `command`: the slash command the task came from; `skills`: the list of
 * skills (names and descriptions); `skill`: a skill the model loaded. Each says in its reason where it came from. */
export type ContextItemKind =
  | 'system'
  | 'rules'
  | 'memory'
  | 'repo'
  | 'mention'
  | 'task'
  | 'task_record'
  | 'conversation'
  | 'summary'
  | 'elided'
  | 'agent'
  | 'command'
  | 'skills'
  | 'skill';

export interface ContextItem {
  kind: ContextItemKind;
  label: string;
  tokens: number;
  reason: string;
}

export interface ContextInspection {
  items: ContextItem[];
  totalTokens: number;
  /** Tokens the prompt may use (context window minus the reply reserve). */
  budget: number;
}
