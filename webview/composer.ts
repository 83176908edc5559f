// The task input: a textarea (Enter sends, Shift+Enter is a newline, Escape stops a running task), @-mention
// completion, the plan/act picker, the model button, Send and Stop.
import { el } from './dom.js';
import { MentionList } from './mentions.js';
import { SlashList } from './slash-commands.js';
import type { AgentItem, SlashCommandItem } from '../extension/protocol/messages.js';

export type Mode = 'plan' | 'act';

export interface ComposerHandlers {
  /** False when the task was not sent (too long, not set up): the input keeps it. */
  submit(task: string, mode: Mode, agent?: string): boolean;
  stop(): void;
  pickModel(): void;
  mentionQuery(requestId: string, query: string): void;
  newId(): string;
  /** The draft, to keep across reloads. */
  draftChanged?(draft: string): void;
}

export class Composer {
  readonly element: HTMLFormElement;
  readonly mentions: MentionList;
  readonly slash: SlashList;
  private readonly input: HTMLTextAreaElement;
  private readonly mode: HTMLSelectElement;
  private readonly model: HTMLButtonElement;
  private readonly send: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private running = false;
  /** The user's pick (a mode or `agent:NAME`) while a task shows another mode (setMode); put back when the task ends. */
  private chosenPick: string | undefined;

  constructor(private readonly handlers: ComposerHandlers) {
    this.element = el('form', 'composer');
    this.input = el('textarea');
    this.input.rows = 3;
    this.input.placeholder = 'Describe a task — @ to mention a file, Enter to send, Shift+Enter for a new line';
    this.input.setAttribute('aria-label', 'Task');
    this.mentions = new MentionList(this.input, (id, q) => handlers.mentionQuery(id, q), handlers.newId);
    this.slash = new SlashList(this.input);

    this.mode = el('select');
    this.mode.setAttribute('aria-label', 'Mode');
    for (const [value, label] of [
      ['act', 'Act'],
      ['plan', 'Plan'],
    ] as const) {
      const option = el('option', '', label);
      option.value = value;
      this.mode.append(option);
    }
    this.mode.title = 'Act: work on the task. Plan: propose a plan for your approval first.';

    this.model = el('button', 'secondary model-button');
    this.model.type = 'button';
    this.model.title = 'Choose the model (Tiller: Select Model)';
    this.model.addEventListener('click', () => handlers.pickModel());
    this.setModel(undefined);

    this.send = el('button');
    this.send.type = 'submit';
    this.send.append(el('span', 'codicon codicon-send'), document.createTextNode(' Send'));
    this.send.setAttribute('aria-label', 'Send');
    this.stopButton = el('button', 'secondary');
    this.stopButton.type = 'button';
    this.stopButton.append(el('span', 'codicon codicon-debug-stop'), document.createTextNode(' Stop'));
    this.stopButton.setAttribute('aria-label', 'Stop (Escape)');
    this.stopButton.hidden = true;

    const row = el('div', 'composer-row');
    row.append(this.mode, this.model, this.stopButton, this.send);
    this.element.append(this.mentions.element, this.slash.element, this.input, row);

    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      this.trySubmit();
    });
    this.input.addEventListener('keydown', (e) => {
      if (this.slash.key(e) || this.mentions.key(e)) {
        e.preventDefault();
        return;
      }
      // While an IME is composing, Enter confirms the composition; it must not send.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.trySubmit();
      }
    });
    this.input.addEventListener('input', () => handlers.draftChanged?.(this.input.value));
    this.stopButton.addEventListener('click', () => handlers.stop());
    // Escape anywhere in the view stops a running task (the mention list takes it first when open).
    // Not from inside an approval card, where Escape is for the reason field, not for stopping the task.
    document.addEventListener('keydown', (e) => {
      const inCard = e.target instanceof Element && e.target.closest('.card') !== null;
      if (e.key === 'Escape' && this.running && !this.mentions.open && !this.slash.open && !inCard) handlers.stop();
    });
  }

  /**
   * The workspace's commands for `/` completion, and its custom agents as extra choices in the mode picker (value
   * `agent:NAME`: the task runs in act mode as that agent). A pick that no longer exists falls back to Act.
   */
  setWorkflows(commands: SlashCommandItem[], agents: AgentItem[]): void {
    this.slash.setCommands(commands);
    const picked = this.mode.value;
    for (const g of Array.from(this.mode.querySelectorAll('optgroup'))) g.remove();
    if (agents.length) {
      const group = el('optgroup');
      group.label = 'Agents';
      for (const a of agents) {
        const option = el('option', '', a.name);
        option.value = `agent:${a.name}`;
        option.title = `${a.description} (${a.source})`;
        group.append(option);
      }
      this.mode.append(group);
    }
    this.mode.value = Array.from(this.mode.options).some((o) => o.value === picked) ? picked : 'act';
  }

  /** The task's mode changed under way (an approved plan is carried out in act mode): the picker says so. */
  setMode(mode: Mode): void {
    this.chosenPick ??= this.mode.value;
    this.mode.value = mode;
  }

  setModel(model: string | undefined): void {
    this.model.replaceChildren(el('span', 'codicon codicon-hubot'), document.createTextNode(` ${model ?? 'Model'}`));
    this.model.setAttribute('aria-label', `Model: ${model ?? 'not set'}. Choose another`);
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.send.disabled = running;
    this.stopButton.hidden = !running;
    this.input.readOnly = running;
    // The picker chooses how the next task starts; while one runs it shows that task's mode and cannot change it.
    this.mode.disabled = running;
    if (!running && this.chosenPick) {
      this.mode.value = this.chosenPick;
      this.chosenPick = undefined;
    }
    if (!running) this.input.focus();
  }

  setEnabled(enabled: boolean): void {
    this.send.disabled = !enabled;
  }

  setDraft(draft: string): void {
    if (!this.input.value) this.input.value = draft;
  }

  focus(): void {
    this.input.focus();
  }

  private trySubmit(): void {
    if (this.send.disabled) return;
    const task = this.input.value.trim();
    if (!task) return;
    const pick = this.mode.value;
    const agent = pick.startsWith('agent:') ? pick.slice('agent:'.length) : undefined;
    if (!this.handlers.submit(task, pick === 'plan' ? 'plan' : 'act', agent)) return;
    this.slash.close();
    this.input.title = '';
    this.input.value = '';
    this.handlers.draftChanged?.('');
  }
}
