// `/` completion in the task box: typing `/` at the start lists the slash commands (built in and the workspace's
// files) with their description and argument hint, filtered as the name is typed; arrow keys move, Enter or Tab
// inserts `/name `, Escape closes. The list comes from the extension once (`workflows`); filtering is local.
import type { SlashCommandItem } from '../extension/protocol/messages.js';
import { el } from './dom.js';

/** The command name being typed: only at the very start of the input, before any space. */
export function slashAt(text: string, cursor: number): string | undefined {
  const m = /^\/([\w:.-]*)$/.exec(text.slice(0, cursor));
  return m ? m[1]! : undefined;
}

/** Commands whose name starts with the query, then those that contain it; built-ins first within each. */
export function matchCommands(items: readonly SlashCommandItem[], query: string): SlashCommandItem[] {
  const q = query.toLowerCase();
  const starts = items.filter((c) => c.name.toLowerCase().startsWith(q));
  const contains = items.filter((c) => !starts.includes(c) && c.name.toLowerCase().includes(q));
  return [...starts, ...contains];
}

export class SlashList {
  readonly element: HTMLElement;
  private commands: SlashCommandItem[] = [];
  private items: SlashCommandItem[] = [];
  private active = 0;

  constructor(private readonly input: HTMLTextAreaElement) {
    this.element = el('ul', 'mention-list slash-list');
    this.element.setAttribute('role', 'listbox');
    this.element.setAttribute('aria-label', 'Slash commands');
    this.element.hidden = true;
    input.addEventListener('input', () => this.update());
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  setCommands(commands: SlashCommandItem[]): void {
    this.commands = commands;
    if (this.open) this.update();
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

  close(): void {
    this.element.hidden = true;
  }

  private update(): void {
    const query = slashAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (query === undefined) return this.close();
    this.items = matchCommands(this.commands, query).slice(0, 30);
    this.active = 0;
    this.element.hidden = this.items.length === 0;
    this.render();
  }

  private choose(item: SlashCommandItem): void {
    const cursor = this.input.selectionStart ?? this.input.value.length;
    const inserted = `/${item.name} `;
    this.input.value = inserted + this.input.value.slice(cursor);
    this.input.setSelectionRange(inserted.length, inserted.length);
    this.close();
    this.input.focus();
    // The argument hint stays visible as the placeholder would: in the list's title for the chosen command.
    this.input.title = item.argumentHint ? `/${item.name} ${item.argumentHint}` : '';
  }

  private render(): void {
    this.element.replaceChildren();
    this.items.forEach((item, i) => {
      const li = el('li', `mention slash-command${i === this.active ? ' active' : ''}`);
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.active));
      li.title = item.source;
      li.append(el('span', 'codicon codicon-symbol-event'), el('span', 'mention-value', ` /${item.name}`));
      if (item.argumentHint) li.append(el('span', 'slash-hint', ` ${item.argumentHint}`));
      if (item.description) li.append(el('span', 'mention-detail', ` — ${item.description}`));
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        this.choose(item);
      });
      this.element.append(li);
    });
  }
}
