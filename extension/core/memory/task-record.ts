// The durable record of one task, kept outside the conversation so compaction cannot lose it: the goal, the
// constraints, decisions and notes, approaches that failed, files touched and open todos. Every change is appended
// to a JSONL file as it happens (fsync'd), so the record survives a crash and can be replayed.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface TaskRecordData {
  goal: string;
  constraints: string[];
  decisions: string[];
  failed: string[];
  filesTouched: string[];
  todos: string[];
}

type ListField = Exclude<keyof TaskRecordData, 'goal'>;

export type TaskRecordEvent = { t: number; kind: 'goal'; value: string } | { t: number; kind: ListField; value: string } | { t: number; kind: 'todos_set'; value: string[] };

/** Oldest entries go first when a list is full: the recent ones matter more. */
const LIST_LIMITS: Record<ListField, number> = { constraints: 30, decisions: 40, failed: 20, filesTouched: 200, todos: 50 };
const MAX_ENTRY_CHARS = 400;
const DONE_MARK = '(done) ';

export class TaskRecord {
  private readonly data: TaskRecordData;
  private tornTail = false;

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
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    let record: TaskRecord | undefined;
    for (const line of lines) {
      let event: TaskRecordEvent;
      try {
        event = JSON.parse(line) as TaskRecordEvent;
      } catch {
        continue;
      }
      if (!event || typeof event !== 'object') continue;
      if (event.kind === 'todos_set') {
        if (record && Array.isArray(event.value)) record.data.todos = event.value.filter((v): v is string => typeof v === 'string');
        continue;
      }
      if (typeof event.value !== 'string') continue;
      if (event.kind === 'goal') record = new TaskRecord(event.value);
      else if (!record) continue;
      else if (Object.hasOwn(LIST_LIMITS, event.kind)) record.push(event.kind, event.value, false);
    }
    if (!record) throw new Error(`${path} holds no task record (no goal line)`);
    record.persistPath = path;
    // A crash mid-write leaves a torn last line: the next event must start on a line of its own.
    record.tornTail = text.length > 0 && !text.endsWith('\n');
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
    if (!this.persistPath) return;
    mkdirSync(dirname(this.persistPath), { recursive: true });
    const fd = openSync(this.persistPath, 'a', 0o600);
    try {
      writeSync(fd, `${this.tornTail ? '\n' : ''}${JSON.stringify(event)}\n`);
      this.tornTail = false;
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
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
