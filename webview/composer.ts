// The task input: a textarea (Enter sends, Shift+Enter is a newline), the plan/act picker, Send and Stop.

export type Mode = 'plan' | 'act';

export interface ComposerHandlers {
  submit(task: string, mode: Mode): void;
  stop(): void;
}

export class Composer {
  readonly element: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly mode: HTMLSelectElement;
  private readonly send: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;

  constructor(private readonly handlers: ComposerHandlers) {
    this.element = document.createElement('form');
    this.element.className = 'composer';
    this.input = document.createElement('textarea');
    this.input.rows = 3;
    this.input.placeholder = 'Describe a task (Enter to send, Shift+Enter for a new line)';
    this.input.setAttribute('aria-label', 'Task');

    this.mode = document.createElement('select');
    this.mode.setAttribute('aria-label', 'Mode');
    for (const [value, label] of [
      ['act', 'Act'],
      ['plan', 'Plan'],
    ] as const) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      this.mode.append(option);
    }
    this.mode.title = 'Act: work on the task. Plan: propose a plan without changing anything.';

    this.send = document.createElement('button');
    this.send.type = 'submit';
    this.send.textContent = 'Send';
    this.stopButton = document.createElement('button');
    this.stopButton.type = 'button';
    this.stopButton.textContent = 'Stop';
    this.stopButton.className = 'secondary';
    this.stopButton.hidden = true;

    const row = document.createElement('div');
    row.className = 'composer-row';
    row.append(this.mode, this.stopButton, this.send);
    this.element.append(this.input, row);

    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      this.trySubmit();
    });
    this.input.addEventListener('keydown', (e) => {
      // While an IME is composing, Enter confirms the composition; it must not send.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.trySubmit();
      }
    });
    this.stopButton.addEventListener('click', () => this.handlers.stop());
  }

  setRunning(running: boolean): void {
    this.send.disabled = running;
    this.stopButton.hidden = !running;
    this.input.readOnly = running;
    if (!running) this.input.focus();
  }

  setEnabled(enabled: boolean): void {
    this.send.disabled = !enabled;
  }

  focus(): void {
    this.input.focus();
  }

  private trySubmit(): void {
    if (this.send.disabled) return;
    const task = this.input.value.trim();
    if (!task) return;
    this.handlers.submit(task, this.mode.value === 'plan' ? 'plan' : 'act');
    this.input.value = '';
  }
}
