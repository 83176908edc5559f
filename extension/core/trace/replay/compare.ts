// Comparing a recorded session with its replay, step by step. Each side becomes a sequence of observable facts —
// the prompt sent (request hash), the tool decided on, each policy decision, each approval, each result (hash), each
// edit, the outcome — and the sequences are walked together. The first fact that differs is shown in full; after
// it, the replay has left the recorded path, so the rest are only counted.
import type { TraceEvent } from '../events.js';
import { canonicalJson, normalizeVolatile } from './hash.js';

export type FactKind = 'prompt' | 'tool' | 'policy' | 'approval' | 'result' | 'edit' | 'question' | 'error' | 'outcome';

export interface Fact {
  agent: string;
  step: number;
  kind: FactKind;
  /** Canonical text compared for equality. */
  key: string;
  /** What a person reads. */
  detail: string;
}

export interface Difference {
  index: number;
  agent: string;
  step: number;
  kind: FactKind | 'missing' | 'extra';
  recorded: string;
  replayed: string;
}

export interface StepReport {
  agent: string;
  step: number;
  facts: number;
  differing: FactKind[];
}

export interface Comparison {
  same: boolean;
  first?: Difference;
  /** Differing facts after the first. */
  more: number;
  steps: StepReport[];
  recordedFacts: number;
  replayedFacts: number;
}

const short = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The facts of one task's events; `workspace` is normalised out of paths and arguments. */
export function factsOf(events: TraceEvent[], workspace: string): Fact[] {
  const facts: Fact[] = [];
  const push = (e: TraceEvent, step: number, kind: FactKind, value: unknown, detail: string) =>
    facts.push({ agent: e.agent, step, kind, key: canonicalJson(value, workspace), detail: short(normalizeVolatile(detail, workspace)) });
  for (const e of events) {
    switch (e.type) {
      case 'model_call':
        push(e, e.step, 'prompt', e.requestHash ?? null, `request ${e.requestHash ?? '(no hash recorded)'}`);
        break;
      case 'tool_call':
        push(e, e.step, 'tool', { tool: e.tool, args: e.args }, `${e.tool} ${JSON.stringify(e.args)}`);
        break;
      case 'policy':
        push(e, e.step, 'policy', { action: e.action, decision: e.decision, rule: e.rule }, `${e.decision} ${JSON.stringify(e.action)} by ${e.rule}`);
        break;
      case 'approval':
        push(e, e.step, 'approval', { kind: e.kind, approved: e.approved }, `${e.kind} ${e.approved ? 'approved' : 'declined'}`);
        break;
      case 'tool_result':
        push(
          e,
          e.step,
          'result',
          { tool: e.tool, isError: e.isError, hash: e.hash ?? null },
          `${e.tool}${e.isError ? ' (error)' : ''} ${e.chars} chars, hash ${e.hash ?? '(none)'}`,
        );
        break;
      case 'edit':
        push(
          e,
          e.step,
          'edit',
          { files: e.files, applied: e.applied },
          `${e.applied ? 'applied' : 'not applied'} ${e.files.join(', ')}${e.error ? ` (${e.error})` : ''}`,
        );
        break;
      case 'question':
        push(e, e.step, 'question', { question: e.question }, e.question);
        break;
      case 'error':
      case 'model_error':
        push(e, e.step, 'error', e.message, e.message);
        break;
      case 'session_end':
        push(e, -1, 'outcome', e.agent === 'main' ? e.status : `${e.agent}:${e.status}`, `${e.agent} ${e.status}`);
        break;
      default:
        break;
    }
  }
  return facts;
}

export function compareFacts(recorded: Fact[], replayed: Fact[]): Comparison {
  const n = Math.max(recorded.length, replayed.length);
  let first: Difference | undefined;
  let more = 0;
  const steps = new Map<string, StepReport>();
  const stepOf = (f: Fact) => {
    const id = `${f.agent}\u0000${f.step}`;
    let s = steps.get(id);
    if (!s) steps.set(id, (s = { agent: f.agent, step: f.step, facts: 0, differing: [] }));
    return s;
  };
  for (let i = 0; i < n; i++) {
    const a = recorded[i];
    const b = replayed[i];
    const where = a ?? b!;
    const report = stepOf(where);
    report.facts++;
    const equal = a && b && a.agent === b.agent && a.step === b.step && a.kind === b.kind && a.key === b.key;
    if (equal) continue;
    report.differing.push(where.kind);
    if (first) {
      more++;
      continue;
    }
    first = {
      index: i,
      agent: where.agent,
      step: where.step,
      kind: !a ? 'extra' : !b ? 'missing' : a.kind,
      recorded: a ? `${a.kind} (${a.agent} step ${a.step}): ${a.detail}` : '(nothing: the recording ends here)',
      replayed: b ? `${b.kind} (${b.agent} step ${b.step}): ${b.detail}` : '(nothing: the replay ended here)',
    };
  }
  return { same: !first, ...(first ? { first } : {}), more, steps: [...steps.values()], recordedFacts: recorded.length, replayedFacts: replayed.length };
}

const KIND_TEXT: Record<Difference['kind'], string> = {
  prompt: 'a different prompt (request hash)',
  tool: 'a different tool decision',
  policy: 'a different policy decision',
  approval: 'a different approval',
  result: 'a different tool result',
  edit: 'a different edit',
  question: 'a different question to the user',
  error: 'a different error',
  outcome: 'a different outcome',
  missing: 'the replay stopped early',
  extra: 'the replay went on past the recording',
};

export function formatComparison(c: Comparison): string {
  const lines: string[] = [];
  for (const s of c.steps) {
    const where = `${s.step < 0 ? 'end' : `step ${s.step}`} (${s.agent})`;
    lines.push(`  ${where.padEnd(24)} ${s.differing.length ? `DIFFERENT: ${[...new Set(s.differing)].join(', ')}` : 'same'}  (${s.facts} facts)`);
  }
  if (!c.first) {
    lines.push(`no difference (${c.recordedFacts} facts compared)`);
    return lines.join('\n');
  }
  const f = c.first;
  lines.push(`first difference at ${f.step < 0 ? 'the end' : `step ${f.step}`} (${f.agent}): ${KIND_TEXT[f.kind]}`);
  lines.push(`  recorded: ${f.recorded}`);
  lines.push(`  replayed: ${f.replayed}`);
  lines.push(`${c.more} more differing fact(s) after it (recorded ${c.recordedFacts}, replayed ${c.replayedFacts})`);
  return lines.join('\n');
}
