// The durable record of one task, kept outside the conversation so compaction cannot lose it: the goal, the
// constraints, decisions and notes, approaches that failed, files touched and open todos. Every change is appended
// to a JSONL file as it happens (fsync'd, secrets redacted: the goal is the user's task text), so the record survives
// a crash and can be replayed.
import { z } from 'zod';
import { appendJsonlRecord, readJsonl } from '../storage/jsonl.js';
import { redactSecrets } from '../trace/redact.js';

export interface TaskRecordData {
  goal: string;
  constraints: string[];
  decisions: string[];
  failed: string[];
  filesTouched: string[];
  todos: string[];
}

type ListField = Exclude<keyof TaskRecordData, 'goal'>;

export type TaskRecordEvent =
  { t: number; kind: 'goal'; value: string } | { t: number; kind: ListField; value: string } | { t: number; kind: 'todos_set'; value: string[] };

const listField = z.enum(['constraints', 'decisions', 'failed', 'filesTouched', 'todos']);
const taskRecordEventSchema: z.ZodType<TaskRecordEvent> = z.union([
  z.object({ t: z.number().catch(0), kind: z.literal('goal'), value: z.string() }),
  z.object({ t: z.number().catch(0), kind: listField, value: z.string() }),
  z.object({ t: z.number().catch(0), kind: z.literal('todos_set'), value: z.array(z.string()) }),
]);

/** Oldest entries go first when a list is full: the recent ones matter more. */
const LIST_LIMITS: Record<ListField, number> = { constraints: 30, decisions: 40, failed: 20, filesTouched: 200, todos: 50 };
const MAX_ENTRY_CHARS = 400;
const DONE_MARK = '(done) ';

export class TaskRecord {
  private readonly data: TaskRecordData;

  constructor(
    goal: string,
    private persistPath?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.data = { goal, constraints: [], decisions: [], failed: [], filesTouched: [], todos: [] };
    this.append({ t: this.now(), kind: 'goal', value: goal });
  }

  /** Rebuilds a record from its file (a torn last line from a crash is skipped). */
  static load(path: string): TaskRecord {
    let record: TaskRecord | undefined;
    for (const event of readJsonl(path, taskRecordEventSchema).records) {
      if (event.kind === 'todos_set') {
        if (record) record.data.todos = event.value;
      } else if (event.kind === 'goal') {
        record = new TaskRecord(event.value);
      } else if (record) {
        record.push(event.kind, event.value, false);
      }
    }
    if (!record) throw new Error(`${path} holds no task record (no goal line)`);
    record.persistPath = path;
    return record;
  }

  get snapshot(): Readonly<TaskRecordData> {
    return structuredClone(this.data);
  }

  addConstraint(text: string): void {
    this.push('constraints', text);
  }
  addDecision(text: string): void {
    this.push('decisions', text);
  }
  addFailure(text: string): void {
    this.push('failed', text);
  }
  touch(path: string): void {
    this.push('filesTouched', path);
  }
  setTodos(todos: string[]): void {
    this.data.todos = todos.slice(0, LIST_LIMITS.todos).map(clip);
    this.append({ t: this.now(), kind: 'todos_set', value: this.data.todos });
  }
  /** Ticks off plan step `n` (1-based), so a compacted conversation still knows what is left. */
  completeTodo(n: number): void {
    const todo = this.data.todos[n - 1];
    if (todo === undefined || todo.startsWith(DONE_MARK)) return;
    this.setTodos(this.data.todos.map((t, i) => (i === n - 1 ? `${DONE_MARK}${t}` : t)));
  }

  private push(field: ListField, raw: string, persist = true): void {
    const value = clip(raw.trim());
    if (!value) return;
    const list = this.data[field];
    if (list.includes(value)) return;
    list.push(value);
    if (list.length > LIST_LIMITS[field]) list.shift();
    if (persist) this.append({ t: this.now(), kind: field, value });
  }

  private append(event: TaskRecordEvent): void {
    if (this.persistPath) appendJsonlRecord(this.persistPath, event, { redact: redactSecrets });
  }

  /** The record as the model sees it. Sections with nothing in them are left out. */
  render(): string {
    const d = this.data;
    const parts = [`[Task record — kept by Tiller outside the conversation; it survives compaction]`, `Goal:\n${d.goal}`];
    const section = (title: string, items: string[]) => {
      if (items.length) parts.push(`${title}:\n${items.map((i) => `- ${i}`).join('\n')}`);
    };
    section('Constraints (must hold)', d.constraints);
    section('Decisions and notes so far', d.decisions);
    section('Approaches that failed (do not repeat them blindly)', d.failed);
    section('Files changed', d.filesTouched);
    section('The approved plan (steps marked "(done)" are finished)', d.todos);
    return parts.join('\n\n');
  }
}

function clip(s: string): string {
  return s.length > MAX_ENTRY_CHARS ? `${s.slice(0, MAX_ENTRY_CHARS - 1)}…` : s;
}
