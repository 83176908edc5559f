// What context assembly needs from its host. The workspace index answers for the repository (the context server in
// VS Code, the in-process index in the CLI); mention sources resolve the user's @-mentions. Both are optional for
// assembly: without them the prompt is built from the rules, the task record and the task alone.
import type { RankQuery, RankedFile, RepoMapSlice } from './index/types.js';

export interface RepoContext {
  rank(q: RankQuery): Promise<RankedFile[]>;
  repoMap(q: RankQuery, budgetTokens: number): Promise<RepoMapSlice>;
}

/** One resolved mention: the text for the prompt and why it is there (shown by the context inspector). */
export interface MentionContent {
  text: string;
  /** When the source knows it; otherwise assembly estimates. */
  tokens?: number;
  reason: string;
}

/** A resolved mention, or a message saying why it could not be resolved (shown to the model and the user). */
export type MentionResult = MentionContent | string;

export interface MentionSources {
  file(path: string): Promise<MentionResult>;
  folder(path: string): Promise<MentionResult>;
  symbol(name: string): Promise<MentionResult>;
  problems(): Promise<MentionResult>;
  gitDiff(): Promise<MentionResult>;
  terminal(): Promise<MentionResult>;
  mcpResource(server: string, uri: string): Promise<MentionResult>;
}
