// `/` completion in the task box: typing `/` at the start lists the slash commands (built in and the workspace's
// files) with their description and argument hint, filtered as the name is typed; arrow keys move, Enter or Tab
// inserts `/name `, Escape closes. The list comes from the extension once (`workflows`); filtering is local.
import type { SlashCommandItem } from '../extension/protocol/messages.js';
import { el } from './dom.js';
import { PickerList } from './picker-list.js';

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

export class SlashList extends PickerList<SlashCommandItem> {
  private commands: SlashCommandItem[] = [];

  constructor(private readonly input: HTMLTextAreaElement) {
    super('mention-list slash-list', 'Slash commands');
    input.addEventListener('input', () => this.update());
  }

  setCommands(commands: SlashCommandItem[]): void {
    this.commands = commands;
    if (this.open) this.update();
  }

  private update(): void {
    const query = slashAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (query === undefined) return this.close();
    this.show(matchCommands(this.commands, query));
  }

  protected choose(item: SlashCommandItem): void {
    const cursor = this.input.selectionStart ?? this.input.value.length;
    const inserted = `/${item.name} `;
    this.input.value = inserted + this.input.value.slice(cursor);
    this.input.setSelectionRange(inserted.length, inserted.length);
    this.close();
    this.input.focus();
    // The argument hint stays visible as the placeholder would: in the list's title for the chosen command.
    this.input.title = item.argumentHint ? `/${item.name} ${item.argumentHint}` : '';
  }

  protected row(item: SlashCommandItem): { className: string; children: HTMLElement[]; title: string } {
    const children = [el('span', 'codicon codicon-symbol-event'), el('span', 'mention-value', ` /${item.name}`)];
    if (item.argumentHint) children.push(el('span', 'slash-hint', ` ${item.argumentHint}`));
    if (item.description) children.push(el('span', 'mention-detail', ` — ${item.description}`));
    return { className: 'mention slash-command', children, title: item.source };
  }
}
