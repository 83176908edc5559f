// Budgets for one task: steps of the coordinator, and tokens, money and time over the whole task (subagents
// included — their spending is the task's spending). Checked before each model call, so a limit stops the task
// before the call that would cross it rather than after.
import type { Budgets, TaskTotals } from './types.js';
import type { Usage } from '../model/types.js';
import type { DailySpend } from './daily-spend.js';

export type BudgetKind = 'steps' | 'tokens' | 'cost' | 'daily_cost' | 'time';

export const DEFAULT_BUDGETS: Budgets = { maxSteps: 50 };

export class BudgetTracker {
  readonly totals: TaskTotals = {
    steps: 0,
    modelCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedPromptTokens: 0,
    costUsd: 0,
    toolCalls: 0,
    durationMs: 0,
  };

  /** The conversation only grows, so the last call's real cost is a floor for the next call's estimate. */
  private lastCallCostUsd = 0;

  constructor(
    readonly budgets: Budgets,
    private readonly startedAt: number,
    private readonly now: () => number,
    /** Spending across every Tiller process today; required for `maxDailyCostUsd` to bind. */
    private readonly daily?: DailySpend,
  ) {}

  recordCall(usage: Usage, costUsd: number): void {
    this.totals.modelCalls++;
    this.totals.promptTokens += usage.promptTokens;
    this.totals.completionTokens += usage.completionTokens;
    this.totals.cachedPromptTokens += usage.cachedPromptTokens;
    this.totals.costUsd += costUsd;
    this.lastCallCostUsd = costUsd;
    this.daily?.record(costUsd);
  }

  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  remainingTimeMs(): number | undefined {
    return this.budgets.maxTimeMs === undefined ? undefined : Math.max(0, this.budgets.maxTimeMs - this.elapsedMs());
  }

  /**
   * Which budget, if any, forbids the next call. `nextStep` is whether the call starts a coordinator step (subagent
   * calls spend tokens, money and time but not the coordinator's steps).
   */
  exhaustedBefore(call: { estimatedTokens: number; estimatedCostUsd: number; nextStep: boolean }): BudgetKind | undefined {
    const b = this.budgets;
    if (call.nextStep && this.totals.steps >= b.maxSteps) return 'steps';
    if (b.maxTimeMs !== undefined && this.elapsedMs() >= b.maxTimeMs) return 'time';
    const used = this.totals.promptTokens + this.totals.completionTokens;
    if (b.maxTokens !== undefined && used + call.estimatedTokens > b.maxTokens) return 'tokens';
    const nextCost = Math.max(call.estimatedCostUsd, this.lastCallCostUsd);
    if (b.maxCostUsd !== undefined && this.totals.costUsd + nextCost > b.maxCostUsd) return 'cost';
    if (b.maxDailyCostUsd !== undefined && this.daily && this.daily.spentToday() + nextCost > b.maxDailyCostUsd) return 'daily_cost';
    return undefined;
  }

  describe(kind: BudgetKind): string {
    const b = this.budgets;
    switch (kind) {
      case 'steps':
        return `the step budget (${b.maxSteps} steps) is used up`;
      case 'tokens':
        return `the token budget (${b.maxTokens} tokens) would be exceeded by the next call (${this.totals.promptTokens + this.totals.completionTokens} used)`;
      case 'cost':
        return `the cost budget ($${b.maxCostUsd}) would be exceeded by the next call ($${this.totals.costUsd.toFixed(4)} spent)`;
      case 'daily_cost':
        return `today's spending limit ($${b.maxDailyCostUsd}) would be exceeded by the next call ($${(this.daily?.spentToday() ?? 0).toFixed(4)} spent today across all sessions)`;
      case 'time':
        return `the time budget (${Math.round((b.maxTimeMs ?? 0) / 1000)} s) is used up`;
    }
  }
}
