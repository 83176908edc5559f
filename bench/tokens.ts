// Prompt tokens over a long session, with Tiller's context management and with the naive full history. A 64-step
// scripted session (reading, searching, running tests, editing; large tool outputs) is played twice in this process
// against the fixture model server over HTTP: once with the real context hooks (compaction summaries from the
// fixture's small model, counted) and once with plainContext. The scripted model checks, at later steps, that the
// facts it needs are still in what it was sent: the task, a constraint, a project rule, a value it read early (and
// noted), a failure, and the file it edited. Run: `npm run bench:tokens`. Exits non-zero on a lost fact or when
// the ratio misses the 0.5x target.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModelServer, type RecordedRequest, type ScriptedReply } from '../test/fixtures/model-server.js';
import { fakeHost, recordingApplier, tablePolicy } from '../test/helpers/fakes.js';
import { createModelClient } from '../extension/core/model/client.js';
import { runTask } from '../extension/core/agent/task.js';
import { plainContext, type ContextHooks } from '../extension/core/agent/context-hooks.js';
import { openTraceFile } from '../extension/core/trace/writer.js';
import { contextForTask } from '../extension/core/context/assembly/task-context.js';
import type { ToolCallResult } from '../extension/core/tools/types.js';

const STEPS = Math.max(60, Number(process.env.BENCH_STEPS ?? 64));
const TARGET = 0.5;

/** Each fact, and the step from which the model needs it. */
const FACTS = {
  task: { text: 'TICKET-QUOKKA-4417', from: 1 },
  constraint: { text: 'src/legacy/wombat-7710.ts', from: 1 },
  /** From AGENTS.md: the naive baseline never reads project rules, so it is checked in Tiller's runs only. */
  rule: { text: 'verify --tag NUMBAT-2291', from: 1, tillerOnly: true },
  readValue: { text: 'PORT-48123-BANDICOOT', from: 4 },
  failure: { text: 'BILBY-5532 TypeError', from: 7 },
  edit: { text: 'src/scheduler/dingo-queue.ts', from: 12 },
} as const;
type FactName = keyof typeof FACTS;

/** Deterministic filler that looks like code and tokenises like it (about four characters a token). */
function filler(seed: number, chars: number): string {
  const words = ['const', 'value', 'return', 'await', 'schedule', 'queue', 'timer', 'export', 'function', 'if', 'else', 'item', 'next', 'state', 'error', 'result'];
  let x = seed * 2654435761 % 4294967296;
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const w = words[x % words.length]!;
    out.push(w);
    n += w.length + 1;
    if (out.length % 12 === 0) out.push('\n');
  }
  return out.join(' ').slice(0, chars);
}

function toolOutputs(): Record<string, (args: Record<string, unknown>) => ToolCallResult> {
  const ok = (content: string, structured?: Record<string, unknown>): ToolCallResult => ({ content, isError: false, ...(structured ? { structured } : {}) });
  return {
    'workspace.read_file': (a) => {
      const path = String(a.path);
      if (path === 'src/config.ts') return ok(`// server configuration\nexport const PORT = '${FACTS.readValue.text}';\n${filler(1, 7000)}`);
      return ok(`// ${path}\n${filler(path.length * 31 + path.charCodeAt(path.length - 4), 7000)}`);
    },
    'workspace.search_text': (a) => ok(`Matches for ${String(a.query)}:\n${filler(String(a.query).length * 7, 5000)}`),
    'workspace.list_dir': (a) => ok(`${String(a.path)}/\n  index.ts\n  queue.ts\n  timer.ts`),
    'shell.run_command': (a) => {
      const command = String(a.command);
      if (command.includes('--first')) return { content: `${FACTS.failure.text}: cannot read properties of undefined (scheduler.test.ts:41)\n${filler(5, 9000)}`, isError: true };
      return ok(`$ ${command}\n${filler(command.length * 13, 9000)}\nexit 0`);
    },
    'workspace.propose_edit': (a) =>
      ok('staged', { changeSet: { id: `cs-${String(a.path)}`, files: [{ path: String(a.path), baseHash: 'abc', newContent: 'x', diff: '--- a\n+++ b\n-old\n+new' }] } }),
  };
}

type Call = { name: string; arguments: Record<string, unknown> };

/** What the agent does at each step: a realistic mix, with the fact-bearing steps at fixed places. */
function plannedCall(step: number): Call {
  if (step === 1) return { name: 'workspace__read_file', arguments: { path: 'src/config.ts' } };
  if (step === 6) return { name: 'shell__run_command', arguments: { command: 'npm test -- --first' } };
  if (step === 11) return { name: 'workspace__propose_edit', arguments: { path: FACTS.edit.text, content: 'fixed' } };
  const k = step % 6;
  const mod = `src/scheduler/mod${step % 17}.ts`;
  if (k === 0) return { name: 'shell__run_command', arguments: { command: `npm test -- --grep case${step}` } };
  if (k === 1) return { name: 'workspace__search_text', arguments: { query: `schedule${step}` } };
  if (k === 2) return { name: 'workspace__list_dir', arguments: { path: `src/scheduler/d${step}` } };
  if (k === 3 && step > 20) return { name: 'workspace__read_file', arguments: { path: `src/scheduler/mod${(step - 17) % 17}.ts` } };
  if (k === 4 && step % 12 === 4) return { name: 'workspace__propose_edit', arguments: { path: mod, content: 'edit' } };
  return { name: 'workspace__read_file', arguments: { path: mod } };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the request body is what the client sent
function promptText(body: any): string {
  const parts: string[] = [];
  for (const m of body?.messages ?? []) {
    if (typeof m.content === 'string') parts.push(m.content);
    for (const c of m.tool_calls ?? []) parts.push(String(c.function?.arguments ?? ''));
  }
  return parts.join('\n');
}

interface RunResult {
  label: string;
  stepPromptTokens: number;
  compactionPromptTokens: number;
  compactionCalls: number;
  lost: { step: number; fact: FactName }[];
  steps: number;
  status: string;
}

async function runOnce(label: string, makeContext: (deps: { model: ReturnType<typeof createModelClient>; trace: ReturnType<typeof openTraceFile>; ws: string; home: string }) => ContextHooks): Promise<RunResult> {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-bench-tokens-'));
  const home = mkdtempSync(join(tmpdir(), 'tiller-bench-home-'));
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'AGENTS.md'), `# Project rules\nRun the checks with \`npm run ${FACTS.rule.text}\` before finishing.\nNever edit files under generated/.\n`);
  const lost: RunResult['lost'] = [];
  let step = 0;
  let compactionCalls = 0;
  const script = (request: RecordedRequest): ScriptedReply => {
    const text = promptText(request.body);
    if (request.body?.model === 'fixture-small') {
      compactionCalls++;
      // The fixture's small model: keeps the agent's notes, as the summary instructions ask.
      const notes = text.split('\n').filter((l) => /Note:|Decision:/.test(l)).slice(0, 20);
      return { text: `Earlier steps read and searched the scheduler and ran tests.\n${notes.join('\n')}` };
    }
    step++;
    for (const [name, fact] of Object.entries(FACTS) as [FactName, { text: string; from: number; tillerOnly?: boolean }][]) {
      if (fact.tillerOnly && label === 'naive') continue;
      if (step >= fact.from && step % 5 === 0 && !text.includes(fact.text)) lost.push({ step, fact: name });
    }
    if (step >= STEPS) return { text: `Done. Fixed the scheduler for ${FACTS.task.text}; ran npm run ${FACTS.rule.text}.` };
    // A real agent writes down what it will need: here, the value read at step 1.
    const note = step === 2 ? `Note: the server port is ${FACTS.readValue.text}.` : step === 7 ? 'Decision: fix the queue instead of the timer.' : '';
    return { text: note, toolCalls: [plannedCall(step)] };
  };
  const server = await startModelServer({ script });
  const model = createModelClient({ baseUrl: server.baseUrl, largeModel: 'fixture-large', smallModel: 'fixture-small', maxRetries: 0 });
  const trace = openTraceFile(join(home, 'trace.jsonl'), `bench-${label}`);
  try {
    const outcome = await runTask(
      {
        model,
        host: fakeHost(toolOutputs()),
        policy: tablePolicy([]),
        approver: { approve: async () => ({ approved: true }), askUser: async () => undefined },
        editApplier: recordingApplier(),
        trace,
        workspaceRoot: ws,
        context: makeContext({ model, trace, ws, home }),
      },
      { task: `Fix the flaky scheduler test (${FACTS.task.text}). Don't touch ${FACTS.constraint.text}; it is frozen.`, budgets: { maxSteps: STEPS + 5 } },
    );
    let stepPrompt = 0;
    let compactionPrompt = 0;
    server.requests.forEach((r, i) => {
      const tokens = server.reported[i]?.prompt_tokens ?? 0;
      if (r.body?.model === 'fixture-small') compactionPrompt += tokens;
      else stepPrompt += tokens;
    });
    return { label, stepPromptTokens: stepPrompt, compactionPromptTokens: compactionPrompt, compactionCalls, lost, steps: outcome.totals.steps, status: outcome.status };
  } finally {
    trace.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const tiller = await runOnce('tiller', ({ model, trace, ws, home }) => contextForTask({ model, trace, workspaceRoot: ws, tillerHome: home, taskId: 'bench' }));
  const naive = await runOnce('naive', () => plainContext);
  // The same session for a model with a small window: summaries by the small model happen, and must lose nothing.
  const small = await runOnce('tiller-16k', ({ model, trace, ws, home }) =>
    contextForTask({ model, trace, workspaceRoot: ws, tillerHome: home, taskId: 'bench', contextWindows: { 'fixture-large': 16_000 } }),
  );
  const fmt = (n: number) => n.toLocaleString('en-US').padStart(12);
  const total = (r: RunResult) => r.stepPromptTokens + r.compactionPromptTokens;
  console.log(`prompt tokens over a ${STEPS}-step scripted session (fixture model over HTTP; usage as the server reported it)`);
  console.log(`                     step calls   compaction        total   steps  status`);
  for (const r of [tiller, naive, small]) {
    console.log(`${r.label.padEnd(10)}${fmt(r.stepPromptTokens)} ${fmt(r.compactionPromptTokens)} ${fmt(total(r))}   ${String(r.steps).padStart(5)}  ${r.status}${r.compactionCalls ? ` (${r.compactionCalls} summaries)` : ''}`);
  }
  const ratio = total(tiller) / total(naive);
  console.log(`ratio tiller/naive: ${ratio.toFixed(3)}x (target <= ${TARGET}x): ${ratio <= TARGET ? 'met' : 'NOT met'}`);
  console.log(`tiller-16k (a model with a 16k window, for the summary path) / naive: ${(total(small) / total(naive)).toFixed(3)}x`);
  let failed = ratio > TARGET;
  for (const r of [tiller, naive, small]) {
    if (r.status !== 'done' || r.steps !== STEPS) {
      console.log(`${r.label}: the session ended ${r.status} after ${r.steps} steps (expected done after ${STEPS})`);
      failed = true;
    }
    for (const l of r.lost) console.log(`LOST FACT (${r.label}): ${l.fact} ("${FACTS[l.fact].text}") missing from the prompt at step ${l.step}`);
    if (r.lost.length) failed = true;
  }
  if (![tiller, naive, small].some((r) => r.lost.length)) console.log(`facts: all ${Object.keys(FACTS).length} present whenever checked (every 5th step from when each is needed; the rule only where rules are loaded)`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
