// The in-process workspace index (the CLI's) seen through the RepoContext port, so assembly does not care whether
// the index lives in this process or behind the context server.
import type { WorkspaceIndexApi } from '../index/types.js';
import type { RepoContext } from '../ports.js';

export function repoContextFromIndex(index: Pick<WorkspaceIndexApi, 'rank' | 'repoMap'>): RepoContext {
  return {
    rank: async (q) => index.rank(q),
    repoMap: async (q, budgetTokens) => index.repoMap(q, budgetTokens),
  };
}
