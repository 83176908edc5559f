// @-mention completion in the task box: typing `@` and a few characters asks the extension for matches (files,
// @problems, @diff, @terminal, symbols when available); arrow keys move, Enter or Tab inserts, Escape closes.
import type { MentionItem } from '../extension/protocol/messages.js';
import { el } from './dom.js';
import { PickerList } from './picker-list.js';

/** The `@word` being typed just before the cursor, if any. */
export function mentionAt(text: string, cursor: number): { start: number; query: string } | undefined {
  const before = text.slice(0, cursor);
  const m = /(^|\s)@([\w./-]*)$/.exec(before);
  if (!m) return undefined;
  return { start: cursor - m[2]!.length - 1, query: m[2]! };
}

/** The text with the mention at `start` replaced by `@value ` and where the cursor goes. */
export function insertMention(text: string, start: number, cursor: number, value: string): { text: string; cursor: number } {
  const inserted = `@${value} `;
  return { text: text.slice(0, start) + inserted + text.slice(cursor), cursor: start + inserted.length };
}

const ICONS: Record<MentionItem['kind'], string> = {
  file: 'file',
  symbol: 'symbol-class',
  problems: 'warning',
  diff: 'git-compare',
  terminal: 'terminal',
  resource: 'plug',
};

export class MentionList extends PickerList<MentionItem> {
  private pending: { id: string; start: number } | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly query: (requestId: string, query: string) => void,
    private readonly newId: () => string,
  ) {
    super('mention-list');
    input.addEventListener('input', () => this.update());
  }

  results(requestId: string, items: MentionItem[]): void {
    if (this.pending?.id !== requestId) return;
    this.show(items);
  }

  override close(): void {
    this.pending = undefined;
    super.close();
  }

  private update(): void {
    const at = mentionAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (!at) return this.close();
    const id = this.newId();
    this.pending = { id, start: at.start };
    this.query(id, at.query);
  }

  protected choose(item: MentionItem): void {
    if (!this.pending) return;
    const cursor = this.input.selectionStart ?? this.input.value.length;
    const next = insertMention(this.input.value, this.pending.start, cursor, item.value);
    this.input.value = next.text;
    this.input.setSelectionRange(next.cursor, next.cursor);
    this.close();
    this.input.focus();
  }

  protected row(item: MentionItem): { className: string; children: HTMLElement[] } {
    const children = [el('span', `codicon codicon-${ICONS[item.kind]}`), el('span', 'mention-value', ` ${item.value}`)];
    if (item.detail) children.push(el('span', 'mention-detail', ` ${item.detail}`));
    return { className: 'mention', children };
  }
}
