// The transcript: what the user asked, the model's replies (markdown, rendered as DOM nodes by markdown-dom.ts),
// tool calls with their results, approval cards and how the task ended. Model and tool output is hostile text: it
// only ever enters the page as text nodes or through the markdown renderer, never as HTML. Streaming text is
// re-rendered at most once per animation frame; a restored session is appended in slices so a long one does not
// block the view.
import type { ApprovalView, TranscriptEntry } from '../extension/protocol/messages.js';
import { approvalCard, closeCard, type Answer, type ClosedCard } from './approval-card.js';
import { el } from './dom.js';
import { checkCard, type CheckView } from './check-card.js';
import { formatDuration } from '../extension/core/trace/duration.js';

export { formatDuration };
import { renderMarkdown, type CodeActions } from './markdown-dom.js';

export interface Totals {
  steps: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  durationMs: number;
  toolCalls: number;
}

const PREVIEW_CHARS = 240;
/** Work per animation frame when rebuilding a long session, leaving the rest of the frame for the browser. */
const FRAME_BUDGET_MS = 8;

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

export function formatCost(costUsd: number): string {
  return costUsd < 0.01 && costUsd > 0 ? costUsd.toFixed(4) : costUsd.toFixed(2);
}

/** "$0.0123", or "price unknown" when no price is known for the model (a 0 is then not "free"). */
export function costText(costUsd: number, priceKnown: boolean | undefined): string {
  if (priceKnown !== false) return `$${formatCost(costUsd)}`;
  return costUsd > 0 ? `$${formatCost(costUsd)} (some calls unpriced)` : 'price unknown';
}

export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatTotals(t: Totals, priceKnown?: boolean): string {
  const tokens = t.promptTokens + t.completionTokens;
  return [
    plural(t.steps, 'step'),
    plural(t.toolCalls, 'tool call'),
    `${tokens.toLocaleString('en-US')} tokens`,
    costText(t.costUsd, priceKnown),
    formatDuration(t.durationMs),
  ].join(' · ');
}

export interface OutcomeView {
  status: string;
  summary: string;
  totals: Totals;
  note?: string;
  priceKnown?: boolean;
}

const STATUS_LABEL: Record<string, string> = {
  done: 'Done',
  failed: 'Failed',
  budget_exhausted: 'Stopped: budget used up',
  denied: 'Stopped: approval denied',
  cancelled: 'Stopped',
};

interface Streamed {
  block: HTMLElement;
  text: string;
  scheduled: boolean;
}

/**
 * Scrolls a new approval card into view: whole when it fits between the header and the composer, else from its top
 * (its buttons are sticky above the composer, see chat.css). The scroll padding keeps it clear of both bars.
 */
export function revealCard(card: HTMLElement): void {
  const scroller = document.scrollingElement ?? document.documentElement;
  const style = typeof getComputedStyle === 'function' ? getComputedStyle(document.documentElement) : undefined;
  const padding = (name: string): number => Number.parseFloat(style?.getPropertyValue(name) ?? '') || 0;
  const room = (scroller?.clientHeight ?? 0) - padding('--composer-height') - padding('--header-height');
  card.scrollIntoView({ block: card.offsetHeight <= room ? 'nearest' : 'start' });
}

export class Transcript {
  private streamed: Streamed | undefined;
  /** The most recent model text, to avoid repeating it when the outcome's summary is that same answer. */
  private lastText: string | undefined;
  private planList: HTMLElement | undefined;
  private readonly tools = new Map<string, HTMLElement>();
  private readonly cards = new Map<string, HTMLElement>();
  private generation = 0;
  /** Set when a card is answered: the next entry is followed even if the view is not at the end. */
  private followNext = false;
  private repin = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly code: CodeActions,
  ) {}

  clear(): void {
    this.generation++;
    this.root.replaceChildren();
    this.streamed = undefined;
    this.lastText = undefined;
    this.tools.clear();
    this.cards.clear();
  }

  /** `images`: attached to the task; a thumbnail where the view still has the picture, the name otherwise (reload). */
  task(text: string, mode: string, images: { name: string; url?: string }[] = []): void {
    this.lastText = undefined;
    const block = el('div', 'entry task');
    block.append(el('span', 'badge', mode), el('span', 'task-text', text));
    if (images.length) {
      const list = el('div', 'task-images');
      for (const image of images) {
        const chip = el('span', 'image-chip');
        if (image.url) {
          const thumb = el('img');
          thumb.src = image.url;
          thumb.alt = image.name;
          chip.append(thumb);
        } else chip.append(el('span', 'codicon codicon-file-media'));
        chip.append(el('span', 'image-name', image.name));
        list.append(chip);
      }
      block.append(list);
    }
    this.add(block);
  }

  step(): void {
    this.flush();
    this.streamed = undefined;
  }

  text(delta: string): void {
    if (!this.streamed) {
      const block = el('div', 'entry assistant markdown');
      this.streamed = { block, text: '', scheduled: false };
      this.add(block);
    }
    const s = this.streamed;
    s.text += delta;
    this.lastText = s.text;
    if (!s.scheduled) {
      s.scheduled = true;
      requestAnimationFrame(() => {
        s.scheduled = false;
        this.renderStreamed(s);
      });
    }
  }

  /** A retried model call: the text streamed for this step is void. */
  textReset(): void {
    if (!this.streamed) return;
    this.streamed.text = '';
    this.streamed.block.replaceChildren();
  }

  toolCall(id: string, tool: string, args: unknown): void {
    this.step();
    const line = el('details', 'entry tool');
    const head = el('summary', 'tool-head');
    head.append(el('span', 'codicon codicon-tools'), el('span', 'tool-name', tool), el('span', 'tool-args', preview(argsText(args))));
    line.append(head, el('pre', 'tool-full', argsText(args).slice(0, 20_000)));
    this.tools.set(id, line);
    this.add(line);
  }

  toolResult(id: string, tool: string, isError: boolean, text: string): void {
    const line = this.tools.get(id);
    if (!line) {
      this.toolCall(id, tool, '');
      return this.toolResult(id, tool, isError, text);
    }
    line.classList.add(isError ? 'error' : 'ok');
    // First in the line, so a long argument preview cannot push it out of sight.
    const head = line.firstElementChild ?? line;
    const mark = el('span', `mark codicon ${isError ? 'codicon-error' : 'codicon-pass'}`);
    mark.setAttribute('aria-label', isError ? 'failed' : 'succeeded');
    head.prepend(mark);
    line.append(el('pre', `tool-result${isError ? ' error' : ''}`, text.slice(0, 20_000)));
    this.scroll();
  }

  notice(message: string): void {
    this.add(el('div', 'entry notice', message));
  }

  /** A notice from outside the task (a restored checkpoint): news the user just caused, so it is scrolled to. */
  announce(message: string): void {
    this.followNext = true;
    this.notice(message);
  }

  error(message: string): void {
    this.step();
    this.add(el('div', 'entry error', message));
  }

  approval(approvalId: string, view: ApprovalView, answer: Answer): void {
    this.step();
    if (this.cards.has(approvalId)) return;
    const card = approvalCard(view, answer);
    card.classList.add('entry');
    this.cards.set(approvalId, card);
    this.add(card, false);
    revealCard(card);
    // Keyboard users land on the card's first button (without scrolling again: the card is placed already).
    const first = card.getElementsByTagName?.('button')[0];
    first?.focus({ preventScroll: true });
  }

  approvalClosed(approvalId: string, closed: ClosedCard): void {
    const card = this.cards.get(approvalId);
    if (!card) return;
    closeCard(card, closed);
    // A tall card left the view away from the end; once answered, what the task does next is what to follow.
    this.followNext = true;
  }

  /** A check run (after an edit or before done): a card with its result and expandable output. */
  check(view: CheckView): void {
    this.step();
    this.add(checkCard(view));
  }

  /** An `ask_user` exchange: what the model asked and what the user answered (or that nobody did). */
  question(question: string, answer: string | null): void {
    this.step();
    const block = el('div', 'entry question');
    const asked = el('div', 'question-text');
    asked.append(el('span', 'codicon codicon-question'), document.createTextNode(` Tiller asked: ${question}`));
    block.append(asked, el('div', `question-answer${answer === null ? ' none' : ''}`, answer === null ? 'No answer was given.' : `You answered: ${answer}`));
    this.add(block);
  }

  outcome(o: OutcomeView): void {
    const { status, summary, totals } = o;
    this.step();
    // "Done" in green above a task that changed nothing (every change denied) would say the opposite of what happened.
    const unchanged = status === 'done' && o.note !== undefined;
    const block = el('div', `entry outcome status-${unchanged ? 'unchanged' : status.replace(/[^a-z_]/g, '')}`);
    block.append(el('div', 'outcome-status', unchanged ? 'Done: nothing changed' : (STATUS_LABEL[status] ?? status)));
    if (o.note) block.append(el('div', 'outcome-note', o.note));
    const alreadyShown = this.lastText !== undefined && this.lastText.trim() === summary.trim();
    if (summary && !alreadyShown) {
      const body = el('div', 'outcome-summary markdown');
      renderMarkdown(document, summary, body, this.code);
      block.append(body);
    }
    this.lastText = undefined;
    block.append(el('div', 'outcome-totals', formatTotals(totals, o.priceKnown)));
    this.add(block);
  }

  /** The approved plan as a checklist, updated in place as the agent reports steps done. */
  planProgress(steps: readonly { text: string; done: boolean }[]): void {
    const list = el('ol', 'plan-progress');
    list.setAttribute('aria-label', `Plan: ${steps.filter((s) => s.done).length} of ${steps.length} steps done`);
    for (const s of steps) {
      const item = el('li', s.done ? 'plan-step done' : 'plan-step', `${s.done ? '✓' : '○'} ${s.text}`);
      list.append(item);
    }
    if (this.planList?.isConnected) this.planList.replaceWith(list);
    else this.add(list);
    this.planList = list;
  }

  /** Rebuilds a stored transcript, a slice per frame. */
  restore(entries: readonly TranscriptEntry[], done?: () => void): void {
    this.clear();
    const generation = this.generation;
    let at = 0;
    const slice = (): void => {
      if (generation !== this.generation) return;
      // A time budget per frame rather than a count: entries differ a lot in cost (a long code block, a one-liner).
      const until = performance.now() + FRAME_BUDGET_MS;
      while (at < entries.length && performance.now() < until) this.entry(entries[at]!, at++);
      if (at < entries.length) requestAnimationFrame(slice);
      else done?.();
    };
    slice();
  }

  private entry(entry: TranscriptEntry, index: number): void {
    switch (entry.kind) {
      case 'task':
        return this.task(
          entry.text,
          entry.mode,
          (entry.images ?? []).map((name) => ({ name })),
        );
      case 'assistant': {
        this.step();
        const block = el('div', 'entry assistant markdown');
        renderMarkdown(document, entry.text, block, this.code);
        this.lastText = entry.text;
        return this.add(block, false);
      }
      case 'tool':
        this.toolCall(`restored-${index}`, entry.tool, entry.args);
        if (entry.result !== undefined) this.toolResult(`restored-${index}`, entry.tool, entry.isError ?? false, entry.result);
        return;
      case 'notice':
        return this.notice(entry.text);
      case 'error':
        return this.error(entry.text);
      case 'outcome':
        return this.outcome(entry);
      case 'question':
        return this.question(entry.question, entry.answer);
      case 'check':
        return this.check(entry);
      case 'approval': {
        // Only closed cards are rebuilt: a waiting one is sent again by the extension, live.
        if (!entry.closed) return;
        this.step();
        const card = approvalCard(entry.view, () => undefined);
        card.classList.add('entry');
        closeCard(card, entry.closed);
        return this.add(card, false);
      }
    }
  }

  private flush(): void {
    if (this.streamed?.scheduled) this.renderStreamed(this.streamed);
  }

  private renderStreamed(s: Streamed): void {
    renderMarkdown(document, s.text, s.block, this.code);
    this.scroll();
  }

  private add(node: HTMLElement, follow = true): void {
    this.root.append(node);
    if (follow) this.scroll();
  }

  private scroll(): void {
    // Follow the stream only when the user has not scrolled up to read (or has just answered a card).
    const scroller = document.scrollingElement ?? document.documentElement;
    const follow = this.followNext || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    this.followNext = false;
    if (!follow) return;
    scroller.scrollTop = scroller.scrollHeight;
    // Entries off screen are sized by an estimate (content-visibility); once the last one is rendered at its real
    // height the end has moved: pin to it again, so the outcome's last line is not left under the composer.
    if (!this.repin) {
      this.repin = true;
      requestAnimationFrame(() => {
        this.repin = false;
        scroller.scrollTop = scroller.scrollHeight;
      });
    }
  }
}
