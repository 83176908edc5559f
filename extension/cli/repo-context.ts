// The CLI's RepoContext: the workspace index in this process, built once on first use. The extension gets the same
// answers from the context server (extension/vscode/context-client.ts); both run extension/core/context/index.
import type { IndexOptions, RankQuery, RankedFile, RepoMapSlice, WorkspaceIndexApi } from '../core/context/index/types.js';
import type { RepoContext } from '../core/context/ports.js';
import { buildWorkspaceIndex } from '../core/context/index/workspace-index.js';

export class InProcessRepoContext implements RepoContext {
  private index: Promise<WorkspaceIndexApi> | undefined;

  constructor(
    private readonly options: IndexOptions,
    private readonly build: (options: IndexOptions) => Promise<WorkspaceIndexApi> = buildWorkspaceIndex,
  ) {}

  /** The index, built on the first call; `tiller context` reports its stats. */
  ready(): Promise<WorkspaceIndexApi> {
    this.index ??= this.build(this.options);
    return this.index;
  }

  async rank(query: RankQuery): Promise<RankedFile[]> {
    return (await this.ready()).rank(query);
  }

  async repoMap(query: RankQuery, budgetTokens: number): Promise<RepoMapSlice> {
    return (await this.ready()).repoMap(query, budgetTokens);
  }
}
