// The panels above the transcript: session history, the trace viewer (every step: tokens, cost, latency, tool
// decisions) and the context inspector (what went into the prompts). Each is a toggled section filled from the
// extension's answer.
import type { HostMessage } from '../extension/protocol/messages.js';
import { button, el } from './dom.js';
import { costText, formatDuration } from './transcript.js';

type TraceMessage = Extract<HostMessage, { type: 'trace' }>;
type ContextMessage = Extract<HostMessage, { type: 'context' }>;
type SessionsMessage = Extract<HostMessage, { type: 'sessions' }>;

export interface PanelHandlers {
  openSession(id: string): void;
  queryTrace(): void;
  queryContext(): void;
}

export class Panels {
  readonly toolbar: HTMLElement;
  readonly body: HTMLElement;
  private shown: 'history' | 'trace' | 'context' | undefined;
  private sessions: SessionsMessage | undefined;

  constructor(private readonly handlers: PanelHandlers) {
    this.toolbar = el('div', 'panel-toolbar');
    this.toolbar.setAttribute('role', 'toolbar');
    this.body = el('section', 'panel');
    this.body.hidden = true;
    this.toolbar.append(
      button('History', () => this.toggle('history'), { icon: 'history', iconOnly: true }),
      button('Trace viewer', () => this.toggle('trace'), { icon: 'pulse', iconOnly: true }),
      button('Context inspector', () => this.toggle('context'), { icon: 'eye', iconOnly: true }),
    );
  }

  setSessions(message: SessionsMessage): void {
    this.sessions = message;
    if (this.shown === 'history') this.renderHistory();
  }

  trace(message: TraceMessage): void {
    if (this.shown !== 'trace') return;
    const table = el('table', 'panel-table');
    const head = el('tr');
    for (const h of ['Step', 'Prompt', 'Output', 'Cost', 'Latency']) head.append(el('th', '', h));
    table.append(head);
    for (const s of message.steps) {
      const row = el('tr');
      row.append(
        el('td', '', `${s.agent === 'main' ? '' : `${s.agent} `}${s.step}`),
        el('td', 'num', s.promptTokens.toLocaleString('en-US')),
        el('td', 'num', s.completionTokens.toLocaleString('en-US')),
        costCell(s.costUsd, message.priceKnown),
        el('td', 'num', formatDuration(s.latencyMs)),
      );
      table.append(row);
      // Tool decisions get a full-width row of their own: the sidebar is too narrow for a sixth column.
      if (s.tools.length) {
        const tools = el('tr', 'tools-row');
        const cell = el('td', 'tools', s.tools.join('\n'));
        cell.colSpan = 5;
        tools.append(cell);
        table.append(tools);
      }
    }
    const body = el('div');
    body.append(message.steps.length ? table : el('p', '', 'No steps recorded.'));
    if (message.ledger?.length) body.append(ledgerTable(message.ledger, message.priceKnown));
    const unpriced = message.priceKnown === false ? 'Price unknown: no price is set for this model (setting tiller.prices), so costs show as —.' : undefined;
    this.fill('Trace of the last task', body, [unpriced, message.note].filter(Boolean).join(' ') || undefined);
  }

  context(message: ContextMessage): void {
    if (this.shown !== 'context') return;
    const list = el('table', 'panel-table');
    const head = el('tr');
    for (const h of ['Item', 'Tokens', 'Why']) head.append(el('th', '', h));
    list.append(head);
    for (const item of message.items) {
      const row = el('tr');
      row.append(el('td', '', item.label), el('td', 'num', item.tokens.toLocaleString('en-US')), el('td', '', item.reason));
      list.append(row);
    }
    this.fill('Context of the last prompt', message.items.length ? list : el('p', '', 'Nothing yet: run a task first.'), message.note);
  }

  /** Opens a panel (or refreshes it when it is open). */
  show(which: 'history' | 'trace' | 'context'): void {
    this.shown = undefined;
    this.toggle(which);
  }

  private toggle(which: 'history' | 'trace' | 'context'): void {
    this.shown = this.shown === which ? undefined : which;
    this.body.hidden = this.shown === undefined;
    // The panel sits above the transcript: from far down a long session it would open out of sight.
    if (this.shown) this.body.scrollIntoView?.({ block: 'nearest' });
    if (this.shown === 'history') this.renderHistory();
    else if (this.shown === 'trace') {
      this.fill('Trace of the last task', el('p', '', 'Loading…'));
      this.handlers.queryTrace();
    } else if (this.shown === 'context') {
      this.fill('Context of the last prompt', el('p', '', 'Loading…'));
      this.handlers.queryContext();
    }
  }

  private renderHistory(): void {
    const list = el('ul', 'history');
    for (const s of this.sessions?.sessions ?? []) {
      const li = el('li');
      const open = button(s.title, () => this.handlers.openSession(s.id), { secondary: s.id !== this.sessions?.current });
      open.title = new Date(s.startedAt).toLocaleString();
      li.append(open);
      list.append(li);
    }
    this.fill('Sessions', list.childNodes.length ? list : el('p', '', 'No sessions yet.'));
  }

  private fill(title: string, content: HTMLElement, note?: string): void {
    this.body.replaceChildren(el('h3', '', title), content);
    if (note) this.body.append(el('p', 'panel-note', note));
  }
}

/** A cost cell: "$0.0123"; with no known price "—" where "$0.00" would mislead, "$0.50+" when some calls had none (the note says why). */
function costCell(costUsd: number, priceKnown: boolean | undefined): HTMLElement {
  const cell = el('td', 'num', priceKnown === false && costUsd === 0 ? '—' : costText(costUsd, priceKnown).replace(' (some calls unpriced)', '+'));
  if (priceKnown === false) cell.title = costText(costUsd, priceKnown);
  return cell;
}

/** Where the money went: the cost ledger by agent, MCP server, tool and model (a call's cost is shared by its tools). */
function ledgerTable(rows: NonNullable<TraceMessage['ledger']>, priceKnown: boolean | undefined): HTMLElement {
  const table = el('table', 'panel-table ledger');
  table.setAttribute('aria-label', 'Cost ledger');
  const head = el('tr');
  for (const h of ['Cost by', 'Calls', 'Tokens in/out', 'Cost']) head.append(el('th', '', h));
  table.append(head);
  for (const r of rows) {
    const row = el('tr');
    row.append(
      el('td', '', `${r.by}: ${r.name}`),
      el('td', 'num', Number.isInteger(r.modelCalls) ? String(r.modelCalls) : r.modelCalls.toFixed(1)),
      el('td', 'num', `${Math.round(r.promptTokens).toLocaleString('en-US')} / ${Math.round(r.completionTokens).toLocaleString('en-US')}`),
      costCell(r.costUsd, priceKnown),
    );
    table.append(row);
  }
  return table;
}
