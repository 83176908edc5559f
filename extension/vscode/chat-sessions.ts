// Session history for the chat view, kept in the workspace's state (a Memento): each session's title (the task's
// first line) and its transcript, so the view shows the same conversation after a reload. The transcript is built
// here from the messages the extension posts, so it is the extension's copy, not whatever the webview says it showed.
import { checkEntry } from '../protocol/check-entry.js';
import type { ApprovalView, HostMessage, TranscriptEntry } from '../protocol/messages.js';

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface StoredSession {
  id: string;
  title: string;
  startedAt: number;
  transcript: TranscriptEntry[];
}

const KEY = 'tiller.sessions';
const MAX_SESSIONS = 30;
const MAX_ENTRIES = 400;
const MAX_TEXT = 20_000;
const TITLE_CHARS = 80;

/** The first non-empty line, shortened. */
export function titleOf(task: string): string {
  const line =
    task
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'Untitled task';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

function cap(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function argsText(args: unknown): string {
  try {
    return cap(JSON.stringify(args) ?? '');
  } catch {
    return '';
  }
}

/** Diff lines kept per stored edit card: enough to recognise it when the session is reopened. */
const MAX_STORED_DIFF_LINES = 400;

/** An approval card's view as stored: long texts and diffs cut (the change itself is in the trace and on disk). */
function capView(view: ApprovalView): ApprovalView {
  switch (view.kind) {
    case 'tool':
      return { ...view, args: cap(view.args) };
    case 'shell':
      return { ...view, command: cap(view.command) };
    case 'plan':
      return { ...view, plan: cap(view.plan) };
    case 'edit': {
      let budget = MAX_STORED_DIFF_LINES;
      const files = view.files.map((f) => ({
        ...f,
        hunks: f.hunks.map((h) => {
          const lines = h.lines.slice(0, Math.max(budget, 0)).map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l));
          budget -= lines.length;
          return { ...h, lines: lines.length < h.lines.length ? [...lines, ` … ${h.lines.length - lines.length} more lines`] : lines };
        }),
      }));
      return { ...view, files };
    }
  }
}

export class SessionStore {
  private sessions: StoredSession[];
  private currentId: string | undefined;
  /** The session whose task is running: approval cards belong to it. */
  private activeId: string | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly memento: MementoLike,
    private readonly now: () => number = Date.now,
  ) {
    const stored = memento.get<StoredSession[]>(KEY);
    this.sessions = Array.isArray(stored) ? stored.filter((s) => s && typeof s.id === 'string' && Array.isArray(s.transcript)) : [];
    this.currentId = this.sessions[0]?.id;
  }

  get current(): StoredSession | undefined {
    return this.sessions.find((s) => s.id === this.currentId);
  }

  list(): { id: string; title: string; startedAt: number }[] {
    return this.sessions.map(({ id, title, startedAt }) => ({ id, title, startedAt }));
  }

  /** The `sessions` message for the view. */
  message(): Extract<HostMessage, { type: 'sessions' }> & { transcript: TranscriptEntry[] } {
    return { ...this.listMessage(), transcript: this.current?.transcript ?? [] };
  }

  /** The history list alone, for after a task: the view keeps the transcript it shows. */
  listMessage(): Extract<HostMessage, { type: 'sessions' }> {
    const current = this.current;
    return { type: 'sessions', ...(current ? { current: current.id } : {}), sessions: this.list() };
  }

  /** A new task starts a new session (the view's "new task" clears; the history keeps the old one). */
  startTask(id: string, task: string, mode: 'plan' | 'act', images?: string[]): void {
    this.sessions.unshift({
      id,
      title: titleOf(task),
      startedAt: this.now(),
      transcript: [{ kind: 'task', text: cap(task), mode, ...(images?.length ? { images } : {}) }],
    });
    this.sessions = this.sessions.slice(0, MAX_SESSIONS);
    this.currentId = id;
    this.activeId = id;
    void this.save();
  }

  /**
   * Records what was posted outside a task's own stream: approval cards and how they closed (into the running task's
   * session) and notices such as a restored checkpoint (into the current session), so a reopened session shows them.
   */
  recordView(message: HostMessage): void {
    if (message.type === 'notice') {
      const session = this.current;
      if (!session) return;
      session.transcript.push({ kind: 'notice', text: cap(message.message) });
      void this.save();
      return;
    }
    const session = this.sessions.find((s) => s.id === this.activeId);
    if (!session) return;
    if (message.type === 'approval') {
      session.transcript.push({ kind: 'approval', approvalId: message.approvalId, view: capView(message.view) });
    } else if (message.type === 'approvalClosed') {
      const card = session.transcript.find((x) => x.kind === 'approval' && x.approvalId === message.approvalId);
      if (card?.kind === 'approval') {
        card.closed = {
          outcome: message.outcome,
          ...(message.approved !== undefined ? { approved: message.approved } : {}),
          ...(message.hunks ? { hunks: message.hunks } : {}),
        };
      }
    }
  }

  open(id: string): boolean {
    if (!this.sessions.some((s) => s.id === id)) return false;
    this.currentId = id;
    return true;
  }

  /** No current session: the view shows an empty transcript until the next task. */
  clear(): void {
    this.currentId = undefined;
  }

  /** Records what was posted for request `id` into its session's transcript. */
  record(id: string, message: HostMessage): void {
    const session = this.sessions.find((s) => s.id === id);
    if (!session) return;
    const t = session.transcript;
    const last = t.at(-1);
    if (message.type === 'event') {
      const e = message.event;
      if (e.type === 'text') {
        if (last?.kind === 'assistant') last.text = cap(last.text + e.delta);
        else t.push({ kind: 'assistant', text: cap(e.delta) });
      } else if (e.type === 'text_reset') {
        if (last?.kind === 'assistant') t.pop();
      } else if (e.type === 'step') {
        // A new step starts a new assistant block.
        if (last?.kind === 'assistant') t.push({ kind: 'notice', text: '' });
      } else if (e.type === 'tool_call') t.push({ kind: 'tool', tool: e.tool, args: argsText(e.args) });
      else if (e.type === 'tool_result') {
        const call = [...t].reverse().find((x) => x.kind === 'tool' && x.tool === e.tool && x.result === undefined);
        if (call && call.kind === 'tool') {
          call.result = cap(e.preview);
          call.isError = e.isError;
        }
      } else if (e.type === 'notice') t.push({ kind: 'notice', text: cap(e.message) });
      else if (e.type === 'question') t.push({ kind: 'question', question: cap(e.question), answer: e.answer === null ? null : cap(e.answer) });
      else if (e.type === 'check') t.push(checkEntry({ ...e, preview: cap(e.preview) }));
    } else if (message.type === 'outcome') {
      t.push({
        kind: 'outcome',
        status: message.status,
        summary: cap(message.summary),
        totals: message.totals,
        ...(message.note ? { note: message.note } : {}),
        ...(message.priceKnown !== undefined ? { priceKnown: message.priceKnown } : {}),
      });
    } else if (message.type === 'error') t.push({ kind: 'error', text: cap(message.message) });
    else return;
    if (message.type === 'outcome' || message.type === 'error') this.ended(id, session);
    // Empty notices only separate steps while recording; drop them once something follows.
    session.transcript = t.filter((x, i) => !(x.kind === 'notice' && x.text === '' && i < t.length - 1)).slice(-MAX_ENTRIES);
    if (message.type === 'outcome' || message.type === 'error') void this.save();
  }

  /** A task ended: a card nobody answered says so when the session is reopened. */
  private ended(id: string, session: StoredSession): void {
    if (this.activeId === id) this.activeId = undefined;
    for (const x of session.transcript) {
      if (x.kind === 'approval' && !x.closed) x.closed = { outcome: 'not answered: the task ended', approved: false };
    }
  }

  /** Saves at the end of each task (not per token); writes are chained so they land in order. */
  save(): Promise<void> {
    const snapshot = this.sessions.map((s) => ({ ...s, transcript: s.transcript.filter((x) => !(x.kind === 'notice' && x.text === '')) }));
    this.saving = this.saving.then(() => Promise.resolve(this.memento.update(KEY, snapshot))).catch(() => undefined);
    return this.saving;
  }
}
