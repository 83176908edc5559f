// The transcript: what the user asked, what the model streams, the tools it calls and how the task ended. Model and
// tool output is hostile text, so it only ever enters the page as text nodes (textContent / appendData), never as HTML.

export interface Totals {
  steps: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  durationMs: number;
  toolCalls: number;
}

const PREVIEW_CHARS = 240;

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function preview(text: string, max = PREVIEW_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function argsText(args: unknown): string {
  if (typeof args === 'string') return args;
  try {
    return JSON.stringify(args) ?? '';
  } catch {
    return String(args);
  }
}

export function formatTotals(t: Totals): string {
  const tokens = t.promptTokens + t.completionTokens;
  const cost = t.costUsd < 0.01 && t.costUsd > 0 ? t.costUsd.toFixed(4) : t.costUsd.toFixed(2);
  return [
    `${t.steps} step${t.steps === 1 ? '' : 's'}`,
    `${t.toolCalls} tool call${t.toolCalls === 1 ? '' : 's'}`,
    `${tokens.toLocaleString('en-US')} tokens`,
    `$${cost}`,
    `${(t.durationMs / 1000).toFixed(1)} s`,
  ].join(' · ');
}

const STATUS_LABEL: Record<string, string> = {
  done: 'Done',
  failed: 'Failed',
  budget_exhausted: 'Stopped: budget used up',
  denied: 'Stopped: approval denied',
  cancelled: 'Stopped',
};

export class Transcript {
  private streamed: Text | undefined;
  /** The most recent model text, to avoid repeating it when the outcome's summary is that same answer. */
  private lastText: Text | undefined;

  constructor(private readonly root: HTMLElement) {}

  clear(): void {
    this.root.replaceChildren();
    this.streamed = undefined;
    this.lastText = undefined;
  }

  task(text: string, mode: string): void {
    this.lastText = undefined;
    const block = el('div', 'entry task');
    block.append(el('span', 'badge', mode), el('span', 'task-text', text));
    this.add(block);
  }

  step(): void {
    this.streamed = undefined;
  }

  text(delta: string): void {
    if (!this.streamed) {
      const block = el('div', 'entry assistant');
      this.streamed = document.createTextNode('');
      this.lastText = this.streamed;
      block.append(this.streamed);
      this.add(block);
    }
    this.streamed.appendData(delta);
    this.scroll();
  }

  /** A retried model call: the text streamed for this step is void. */
  textReset(): void {
    if (this.streamed) this.streamed.data = '';
  }

  toolCall(tool: string, args: unknown): void {
    this.streamed = undefined;
    const line = el('div', 'entry tool-call');
    line.append(el('span', 'tool-name', tool), el('span', 'tool-args', preview(argsText(args))));
    this.add(line);
  }

  toolResult(tool: string, isError: boolean, text: string): void {
    const line = el('div', `entry tool-result${isError ? ' error' : ''}`);
    line.append(el('span', 'mark', isError ? '✗' : '✓'), el('span', 'tool-name', tool), el('span', 'tool-args', preview(text)));
    line.title = text.slice(0, 4000);
    this.add(line);
  }

  notice(message: string): void {
    this.add(el('div', 'entry notice', message));
  }

  error(message: string): void {
    this.streamed = undefined;
    this.add(el('div', 'entry error', message));
  }

  outcome(status: string, summary: string, totals: Totals): void {
    this.streamed = undefined;
    const block = el('div', `entry outcome status-${status.replace(/[^a-z_]/g, '')}`);
    block.append(el('div', 'outcome-status', STATUS_LABEL[status] ?? status));
    const alreadyShown = this.lastText !== undefined && this.lastText.data.trim() === summary.trim();
    if (summary && !alreadyShown) block.append(el('div', 'outcome-summary', summary));
    this.lastText = undefined;
    block.append(el('div', 'outcome-totals', formatTotals(totals)));
    this.add(block);
  }

  private add(node: HTMLElement): void {
    this.root.append(node);
    this.scroll();
  }

  private scroll(): void {
    // Follow the stream only when the user has not scrolled up to read.
    const scroller = document.scrollingElement ?? document.documentElement;
    if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80) scroller.scrollTop = scroller.scrollHeight;
  }
}
