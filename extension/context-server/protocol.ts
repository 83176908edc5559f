// Every custom message between Tiller's context server and its clients, named and typed once. Both sides import this
// module: the server validates params with the schemas here (a bad field is an LSP InvalidParams error naming it), the
// VS Code client and the tests send them with these method names and get these result types back.
//
// Ranked requests (`tiller/rank`, `tiller/repoMap`, `tiller/symbol`) issued while the index is still building wait for
// the build to finish rather than answer from a half-built index: the index is built in one pass and has nothing
// coherent to rank before that. The wait honours `$/cancelRequest` (the answer is then LSP's RequestCancelled) and
// `tiller/stats` answers at once, so a client that must not wait can poll it or listen to `tiller/indexProgress`.
import { z } from 'zod';
import type { IndexStats, RankedFile, RepoMapSlice, SymbolInfo } from '../core/context/index/types.js';

/** Editor signals the client reads at request time (open editors, active editor, problems); paths workspace-relative. */
export const rankSignalsSchema = z
  .object({
    openFiles: z.array(z.string().max(4096)).max(1000).optional(),
    activeFile: z.string().max(4096).optional(),
    recentEdits: z.array(z.string().max(4096)).max(1000).optional(),
    diagnostics: z
      .array(
        z.object({
          path: z.string().max(4096),
          line: z.number().int().min(1),
          message: z.string().max(2000),
          severity: z.enum(['error', 'warning']),
        }),
      )
      .max(2000)
      .optional(),
  })
  .strict();

const queryText = z.string().min(1, 'must not be empty').max(100_000);

/**
 * `tiller/rank` — client -> server. The harness (through the VS Code client's RepoContext) asks which files matter for
 * a task or question, before building a prompt. Answer: up to `top` files, best first, each with its reasons.
 */
export const rankParamsSchema = z
  .object({
    query: queryText,
    top: z.number().int().min(1).max(1000).optional(),
    signals: rankSignalsSchema.optional(),
  })
  .strict();
export type RankParams = z.infer<typeof rankParamsSchema>;
export type RankResult = RankedFile[];
export const RANK_METHOD = 'tiller/rank';

/**
 * `tiller/repoMap` — client -> server. Context assembly asks for the repository map slice that fits its token budget:
 * the most relevant files with their key symbol signatures, as prompt text.
 */
export const repoMapParamsSchema = z
  .object({
    query: queryText,
    budgetTokens: z.number().int().min(1).max(1_000_000),
    signals: rankSignalsSchema.optional(),
  })
  .strict();
export type RepoMapParams = z.infer<typeof repoMapParamsSchema>;
export type RepoMapResult = RepoMapSlice;
export const REPO_MAP_METHOD = 'tiller/repoMap';

/** `tiller/symbol` — client -> server. @-mentions of a symbol and the agent's "where is X defined" resolve here. */
export const symbolParamsSchema = z
  .object({
    name: z.string().min(1, 'must not be empty').max(1000),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type SymbolParams = z.infer<typeof symbolParamsSchema>;
export type SymbolResult = SymbolInfo[];
export const SYMBOL_METHOD = 'tiller/symbol';

/**
 * `tiller/stats` — client -> server, no params. The context inspector and tests ask what is indexed; answered at once,
 * also while building (then `ready` is false and `index` absent).
 */
export interface StatsResult {
  ready: boolean;
  /** The build failed: ranked requests answer with this error until the server restarts. */
  error?: string;
  progress: IndexProgress;
  index?: IndexStats;
}
export const STATS_METHOD = 'tiller/stats';

/**
 * `tiller/indexProgress` — server -> client notification, during the cold build and once when it ends (`phase: 'ready'`
 * or `'failed'`). The status bar / inspector shows it; tests await `ready` instead of sleeping.
 */
export interface IndexProgress {
  phase: 'waiting' | 'walk' | 'read' | 'symbols' | 'graph' | 'ready' | 'failed';
  files: number;
}
export const INDEX_PROGRESS_METHOD = 'tiller/indexProgress';

/** What the client passes in `initialize`'s `initializationOptions`. */
export const initializationOptionsSchema = z
  .object({
    /** Globs (minimatch, workspace-relative) from `files.exclude` and `search.exclude`. */
    exclude: z.array(z.string().max(4096)).max(10_000).optional(),
    /** The index's approximate memory ceiling; past it, contents are dropped (paths and symbols kept). */
    memoryCeilingBytes: z.number().int().min(1).optional(),
    maxFiles: z.number().int().min(1).optional(),
    maxFileBytes: z.number().int().min(1).optional(),
    grammarsDir: z.string().optional(),
  })
  .strict();
export type InitializationOptions = z.infer<typeof initializationOptionsSchema>;
