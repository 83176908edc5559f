// Runs eval tasks through the real harness and judges them; formats the table; keeps the JSONL history.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ModelConfig } from '../../../extension/core/model/types.js';
import { buildLedger } from '../../../extension/core/trace/ledger.js';
import { runTaskOnce } from './run-task.js';
import { checkContext, type EvalTask } from './types.js';

export interface EvalResult {
  name: string;
  pass: boolean;
  problems: string[];
  status: string;
  steps: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  wallMs: number;
}

export interface SuiteOptions {
  distDir: string;
  /** A real endpoint: the real model decides, scripts are not used, scripted-only tasks are skipped. */
  endpoint?: ModelConfig;
  onResult?: (result: EvalResult) => void;
}

export async function runEvalTask(task: EvalTask, options: SuiteOptions): Promise<EvalResult> {
  const started = performance.now();
  try {
    const run = await runTaskOnce({
      files: task.files,
      task: task.task,
      script: task.script,
      distDir: options.distDir,
      ...(task.mode ? { mode: task.mode } : {}),
      ...(task.agent ? { agent: task.agent } : {}),
      ...(task.budgets ? { budgets: task.budgets } : {}),
      ...(task.userRules ? { userRules: task.userRules } : {}),
      ...(task.trustWorkspace ? { trustWorkspace: true } : {}),
      ...(task.approve ? { approve: task.approve } : {}),
      ...(task.answer ? { answer: task.answer } : {}),
      ...(task.checks ? { checks: task.checks } : {}),
      ...(task.sandboxAllowPaths ? { sandboxAllowPaths: task.sandboxAllowPaths } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
    const problems = task.check(checkContext(run.workspace, !options.endpoint, run.outcome, run.events, run.tracePath));
    // Tokens and cost come from the ledger: the provider's reported usage, priced from the table.
    const ledger = buildLedger(run.events);
    return {
      name: task.name,
      pass: problems.length === 0,
      problems,
      status: run.outcome.status,
      steps: run.outcome.totals.steps,
      promptTokens: ledger.total.promptTokens,
      completionTokens: ledger.total.completionTokens,
      costUsd: ledger.total.costUsd,
      wallMs: run.wallMs,
    };
  } catch (err) {
    return { name: task.name, pass: false, problems: [`the run threw: ${(err as Error).message}`], status: 'error', steps: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, wallMs: performance.now() - started };
  }
}

export async function runEvalSuite(tasks: EvalTask[], options: SuiteOptions): Promise<EvalResult[]> {
  const results: EvalResult[] = [];
  for (const task of tasks) {
    if (options.endpoint && task.scriptedOnly) continue;
    const result = await runEvalTask(task, options);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

export interface SuiteTotals {
  passed: number;
  total: number;
  steps: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  wallMs: number;
}

export function totalsOf(results: EvalResult[]): SuiteTotals {
  return results.reduce<SuiteTotals>(
    (t, r) => ({
      passed: t.passed + (r.pass ? 1 : 0),
      total: t.total + 1,
      steps: t.steps + r.steps,
      promptTokens: t.promptTokens + r.promptTokens,
      completionTokens: t.completionTokens + r.completionTokens,
      costUsd: t.costUsd + r.costUsd,
      wallMs: t.wallMs + r.wallMs,
    }),
    { passed: 0, total: 0, steps: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, wallMs: 0 },
  );
}

export function formatTable(results: EvalResult[]): string {
  const head = `${'task'.padEnd(32)} ${'result'.padEnd(6)} ${'status'.padEnd(16)} ${'steps'.padStart(5)} ${'prompt tok'.padStart(10)} ${'cost USD'.padStart(10)} ${'wall s'.padStart(7)}`;
  const row = (name: string, result: string, status: string, steps: number, prompt: number, cost: number, ms: number) =>
    `${name.padEnd(32)} ${result.padEnd(6)} ${status.padEnd(16)} ${String(steps).padStart(5)} ${String(prompt).padStart(10)} ${cost.toFixed(6).padStart(10)} ${(ms / 1000).toFixed(2).padStart(7)}`;
  const lines = [head, '-'.repeat(head.length)];
  for (const r of results) {
    lines.push(row(r.name, r.pass ? 'pass' : 'FAIL', r.status, r.steps, r.promptTokens, r.costUsd, r.wallMs));
    for (const p of r.problems) lines.push(`    - ${p}`);
  }
  const t = totalsOf(results);
  lines.push('-'.repeat(head.length));
  lines.push(row('total', `${t.passed}/${t.total}`, '', t.steps, t.promptTokens, t.costUsd, t.wallMs));
  return lines.join('\n');
}

export interface HistoryEntry extends SuiteTotals {
  at: string;
  /** `scripted`, or the endpoint's base URL. */
  endpoint: string;
  model: string;
  tasks: { name: string; pass: boolean; steps: number; promptTokens: number; costUsd: number; wallMs: number }[];
}

export function historyEntry(results: EvalResult[], endpoint: string, model: string, at = new Date()): HistoryEntry {
  return {
    at: at.toISOString(),
    endpoint,
    model,
    ...totalsOf(results),
    tasks: results.map((r) => ({ name: r.name, pass: r.pass, steps: r.steps, promptTokens: r.promptTokens, costUsd: r.costUsd, wallMs: Math.round(r.wallMs) })),
  };
}

/** The last entry run against the same endpoint and model over the same tasks (other runs are not comparable). */
export function previousEntry(path: string, endpoint: string, model: string, taskNames: string[]): HistoryEntry | undefined {
  const key = [...taskNames].sort().join('\n');
  if (!existsSync(path)) return undefined;
  let last: HistoryEntry | undefined;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as HistoryEntry;
      const same = entry.tasks.map((t) => t.name).sort().join('\n') === key;
      if (entry.endpoint === endpoint && entry.model === model && same) last = entry;
    } catch {
      // A torn line from an interrupted run: skip it.
    }
  }
  return last;
}

/** One line per run, appended in a single write (as traces are). */
export function appendHistory(path: string, entry: HistoryEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, JSON.stringify(entry) + '\n', { mode: 0o600 });
}

export function formatChange(previous: HistoryEntry | undefined, now: HistoryEntry): string {
  if (!previous) return 'change since the last run: none recorded yet for this endpoint, model and set of tasks';
  const sign = (n: number, digits = 0) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
  const lines = [
    `change since the last run (${previous.at}): passed ${previous.passed}/${previous.total} -> ${now.passed}/${now.total} (${sign(now.passed - previous.passed)}), ` +
      `prompt tokens ${sign(now.promptTokens - previous.promptTokens)}, cost ${sign(now.costUsd - previous.costUsd, 6)} USD`,
  ];
  const before = new Map(previous.tasks.map((t) => [t.name, t.pass]));
  for (const t of now.tasks) {
    const was = before.get(t.name);
    if (was === undefined) lines.push(`  new task: ${t.name} (${t.pass ? 'pass' : 'fail'})`);
    else if (was !== t.pass) lines.push(`  ${t.name}: ${was ? 'pass' : 'fail'} -> ${t.pass ? 'pass' : 'FAIL'}`);
  }
  return lines.join('\n');
}
