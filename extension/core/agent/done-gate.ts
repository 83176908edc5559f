// The stop rule that uses the checks: a task does not end as "done" while a configured `done` check fails. When the
// model answers without a tool call, the done checks run; a failing one goes back to the model as an observation and
// the loop goes on. Only the user ends it anyway (asked once the model has insisted twice in a row), or the step
// budget: a task at its step limit with a failing done check ends as failed, its summary naming the check.
import type { ChatMessage } from '../model/types.js';
import type { Approver, DoneChecks } from '../ports.js';
import type { TraceSink } from '../trace/events.js';

/** Times in a row the model may try to end with a failing check before the user is asked whether to end anyway. */
const ASK_USER_AFTER = 2;

export type DoneVerdict = { end: true } | { end: false; observation: ChatMessage };

export class DoneGate {
  private refusalsInARow = 0;

  constructor(
    private readonly checks: DoneChecks | undefined,
    private readonly approver: Approver,
    private readonly trace: TraceSink,
    private readonly agent: string,
  ) {}

  /** The model wants to end: may it? If not, the observation that sends it back to work. */
  async beforeDone(step: number, signal: AbortSignal): Promise<DoneVerdict> {
    if (!this.checks) return { end: true };
    const verdict = await this.checks.run(signal);
    if (verdict.failing.length === 0 || signal.aborted) {
      this.refusalsInARow = 0;
      return { end: true };
    }
    this.refusalsInARow++;
    const names = quoted(verdict.failing);
    this.trace.emit(this.agent, { type: 'notice', step, message: `done-gate: not done while ${names} fail${verdict.failing.length === 1 ? 's' : ''}` });
    if (this.refusalsInARow >= ASK_USER_AFTER && (await this.userEndsAnyway(step, names, signal))) return { end: true };
    return { end: false, observation: { role: 'user', content: verdict.text, origin: 'observation' } };
  }

  /**
   * The step budget ran out: a failing done check turns the stop into a failure that names it (the task is not done,
   * and more steps were not what it needed). Undefined when no done check fails.
   */
  async atStepLimit(signal: AbortSignal): Promise<string | undefined> {
    if (!this.checks || signal.aborted) return undefined;
    const verdict = await this.checks.run(signal);
    if (verdict.failing.length === 0) return undefined;
    return `the step budget ran out while the done check${verdict.failing.length === 1 ? '' : 's'} ${quoted(verdict.failing)} still fail${verdict.failing.length === 1 ? 's' : ''}`;
  }

  private async userEndsAnyway(step: number, names: string, signal: AbortSignal): Promise<boolean> {
    const question = `The agent wants to end the task, but the check ${names} still fails. End the task anyway? (yes / no)`;
    const answer = await this.approver.askUser(question, signal);
    this.trace.emit(this.agent, { type: 'question', step, question, answer: answer ?? null });
    return answer !== undefined && /^\s*y(es)?\b/i.test(answer);
  }
}

function quoted(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
