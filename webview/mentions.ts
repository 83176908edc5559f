// @-mention completion in the task box: typing `@` and a few characters asks the extension for matches (files,
// @problems, @diff, @terminal, symbols when available); arrow keys move, Enter or Tab inserts, Escape closes.
import type { MentionItem } from '../extension/protocol/messages.js';
import { el } from './dom.js';

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

export class MentionList {
  readonly element: HTMLElement;
  private items: MentionItem[] = [];
  private active = 0;
  private pending: { id: string; start: number } | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly query: (requestId: string, query: string) => void,
    private readonly newId: () => string,
  ) {
    this.element = el('ul', 'mention-list');
    this.element.setAttribute('role', 'listbox');
    this.element.hidden = true;
    input.addEventListener('input', () => this.update());
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /** Handles a key in the input; true when the list used it. */
  key(e: KeyboardEvent): boolean {
    if (!this.open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.items.length) % Math.max(1, this.items.length);
      this.render();
      return true;
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && this.items.length) {
      this.choose(this.items[this.active]!);
      return true;
    }
    if (e.key === 'Escape') {
      this.close();
      return true;
    }
    return false;
  }

  results(requestId: string, items: MentionItem[]): void {
    if (this.pending?.id !== requestId) return;
    this.items = items.slice(0, 30);
    this.active = 0;
    this.element.hidden = this.items.length === 0;
    this.render();
  }

  close(): void {
    this.pending = undefined;
    this.element.hidden = true;
  }

  private update(): void {
    const at = mentionAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (!at) return this.close();
    const id = this.newId();
    this.pending = { id, start: at.start };
    this.query(id, at.query);
  }

  private choose(item: MentionItem): void {
    if (!this.pending) return;
    const cursor = this.input.selectionStart ?? this.input.value.length;
    const next = insertMention(this.input.value, this.pending.start, cursor, item.value);
    this.input.value = next.text;
    this.input.setSelectionRange(next.cursor, next.cursor);
    this.close();
    this.input.focus();
  }

  private render(): void {
    this.element.replaceChildren();
    this.items.forEach((item, i) => {
      const li = el('li', `mention${i === this.active ? ' active' : ''}`);
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.active));
      li.append(el('span', `codicon codicon-${ICONS[item.kind]}`), el('span', 'mention-value', ` ${item.value}`));
      if (item.detail) li.append(el('span', 'mention-detail', ` ${item.detail}`));
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        this.choose(item);
      });
      this.element.append(li);
    });
  }
}
