// The task input: a textarea (Enter sends, Shift+Enter is a newline, Escape stops a running task), @-mention
// completion, the plan/act picker, the model button, Send and Stop. Images pasted or dropped in become chips
// (thumbnail, name, remove button) sent with the task; one that is not an image says why here and is not attached.
import { el } from './dom.js';
import { MentionList } from './mentions.js';
import { SlashList } from './slash-commands.js';
import { imageProblem } from '../extension/core/model/image-format.js';
import { MAX_TASK_IMAGES, type AgentItem, type ImageUpload, type SlashCommandItem } from '../extension/protocol/messages.js';

export type Mode = 'plan' | 'act';

export interface ComposerHandlers {
  /** False when the task was not sent (too long, not set up): the input keeps it (and its images). */
  submit(task: string, mode: Mode, images: AttachedImage[], agent?: string): boolean;
  stop(): void;
  pickModel(): void;
  mentionQuery(requestId: string, query: string): void;
  newId(): string;
  /** The draft, to keep across reloads. */
  draftChanged?(draft: string): void;
}

export interface AttachedImage {
  upload: ImageUpload;
  /** An object URL for the thumbnail, valid while the view lives. */
  url: string;
}

export class Composer {
  private images: AttachedImage[] = [];
  private readonly chips: HTMLDivElement;
  private readonly problem: HTMLDivElement;
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
    this.chips = el('div', 'image-chips');
    this.chips.setAttribute('aria-label', 'Attached images');
    this.problem = el('div', 'composer-problem');
    this.problem.setAttribute('role', 'alert');
    this.problem.hidden = true;
    this.element.append(this.mentions.element, this.slash.element, this.chips, this.problem, this.input, row);

    this.input.addEventListener('paste', (e) => {
      const files = Array.from(e.clipboardData?.items ?? [])
        .filter((i) => i.kind === 'file')
        .map((i) => i.getAsFile())
        .filter((f): f is File => f !== null);
      if (files.length === 0) return;
      e.preventDefault();
      void this.attach(files);
    });
    this.element.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    });
    this.element.addEventListener('drop', (e) => {
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      e.preventDefault();
      void this.attach(files);
    });

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
    if (!this.handlers.submit(task, pick === 'plan' ? 'plan' : 'act', [...this.images], agent)) return;
    this.slash.close();
    this.input.title = '';
    this.input.value = '';
    this.images = [];
    this.renderChips();
    this.showProblem(undefined);
    this.handlers.draftChanged?.('');
  }

  /** Checks each file by its bytes (the extension checks again); the ones that are images become chips. */
  private async attach(files: File[]): Promise<void> {
    const problems: string[] = [];
    for (const file of files) {
      const name = file.name || `pasted-image-${this.images.length + 1}`;
      if (this.images.length >= MAX_TASK_IMAGES) {
        problems.push(`${name} was not attached: a task takes at most ${MAX_TASK_IMAGES} images`);
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const problem = imageProblem(bytes, name);
      if (problem) {
        problems.push(`${problem}; it was not attached`);
        continue;
      }
      this.images.push({
        upload: { name: name.slice(0, 200), dataBase64: toBase64(bytes) },
        url: URL.createObjectURL(new Blob([bytes], { type: file.type || 'application/octet-stream' })),
      });
    }
    this.showProblem(problems.length ? problems.join('. ') : undefined);
    this.renderChips();
  }

  private renderChips(): void {
    this.chips.replaceChildren(
      ...this.images.map((image, i) => {
        const chip = el('span', 'image-chip');
        const thumb = el('img');
        thumb.src = image.url;
        thumb.alt = image.upload.name;
        const remove = el('button', 'icon-button');
        remove.type = 'button';
        remove.append(el('span', 'codicon codicon-close'));
        remove.setAttribute('aria-label', `Remove image ${image.upload.name}`);
        remove.addEventListener('click', () => {
          URL.revokeObjectURL(image.url);
          this.images.splice(i, 1);
          this.renderChips();
        });
        chip.append(thumb, el('span', 'image-name', image.upload.name), remove);
        return chip;
      }),
    );
    this.chips.hidden = this.images.length === 0;
  }

  private showProblem(text: string | undefined): void {
    this.problem.textContent = text ?? '';
    this.problem.hidden = text === undefined;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
