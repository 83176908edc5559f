// A model that repeats the same call expecting a different result is stuck. The first repeats are answered with a
// nudge instead of being executed again; persisting past that ends the task rather than burning the budget.

/** Identical calls (same tool, same arguments) allowed before the harness refuses to execute them again. */
export const REPEAT_REFUSE_AT = 3;
/** Identical calls at which the task is stopped as stuck. */
export const REPEAT_STOP_AT = 5;
const WINDOW = 12;

export type RepeatVerdict = 'ok' | 'refuse' | 'stop';

export class LoopDetector {
  private readonly recent: string[] = [];

  /** Record a call and judge it. Arguments are canonicalised so key order and spacing do not hide a repeat. */
  observe(tool: string, args: unknown): { verdict: RepeatVerdict; count: number } {
    const key = `${tool} ${canonicalJson(args)}`;
    this.recent.push(key);
    if (this.recent.length > WINDOW) this.recent.shift();
    const count = this.recent.filter((k) => k === key).length;
    if (count >= REPEAT_STOP_AT) return { verdict: 'stop', count };
    if (count >= REPEAT_REFUSE_AT) return { verdict: 'refuse', count };
    return { verdict: 'ok', count };
  }

  /** A successful change to the world (an applied edit) can make a repeated read meaningful again. */
  reset(): void {
    this.recent.length = 0;
  }
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
