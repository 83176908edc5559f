// The context inspector's data: every part of the last prompt with its size and why it is there, for the UI.

export type ContextItemKind = 'system' | 'rules' | 'memory' | 'repo' | 'mention' | 'task' | 'task_record' | 'conversation' | 'summary' | 'elided';

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
