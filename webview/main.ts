// The chat webview's entry: builds the page, validates every message from the extension with the shared schema
// (dropping and logging bad ones), and sends the user's actions back as typed messages.
import { checkEntry } from '../extension/protocol/check-entry.js';
import { parseHostMessage, taskSizeProblem, type HostMessage, type WebviewMessage } from '../extension/protocol/messages.js';
import { Composer, type AttachedImage } from './composer.js';
import { el } from './dom.js';
import { Panels } from './panels.js';
import { SetupForm } from './setup-form.js';
import { costText, plural, Transcript } from './transcript.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (message: WebviewMessage): void => vscode.postMessage(message);

/** What the page keeps across reloads by itself: only the draft (the transcript is the extension's copy). */
interface PageState {
  draft?: string;
}
const pageState: PageState = (vscode.getState() as PageState | undefined) ?? {};

let running: string | undefined;
let configured = false;
let steps = 0;

function newRequestId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

const app = document.getElementById('app') ?? document.body;

const setup = new SetupForm({
  newId: newRequestId,
  test: (requestId, baseUrl, apiKey) => send({ type: 'setupTest', requestId, baseUrl, apiKey }),
  save: (requestId, input) => send({ type: 'setupSave', requestId, ...input }),
});
setup.element.hidden = true;

const panels = new Panels({
  openSession: (sessionId) => {
    if (!running) send({ type: 'sessionOpen', sessionId });
  },
  queryTrace: () => send({ type: 'traceQuery', requestId: newRequestId() }),
  queryContext: () => send({ type: 'contextQuery', requestId: newRequestId() }),
});

const budget = el('div', 'budget');
budget.setAttribute('aria-live', 'off');
budget.title = 'This task: steps, tokens and cost';
function showBudget(text: string): void {
  budget.textContent = text;
}

const header = el('div', 'view-header');
header.append(budget, panels.toolbar);

// Why tasks will not run while the workspace is not trusted; it goes as soon as a state says trust was granted.
const trustNote = el('div', 'trust-note');
trustNote.setAttribute('role', 'status');
trustNote.hidden = true;

const log = el('div', 'transcript');
log.setAttribute('role', 'log');
log.setAttribute('aria-live', 'polite');
const transcript = new Transcript(log, {
  copy: (text) => send({ type: 'copyText', text }),
  insert: (code) => send({ type: 'insertCode', code }),
});

/** Sends a task; false (with the reason in the transcript) when it cannot be sent, so nothing waits for it. */
function startTask(task: string, mode: 'plan' | 'act', images: AttachedImage[] = [], agent?: string): boolean {
  const tooLong = taskSizeProblem(task);
  if (tooLong) {
    transcript.error(tooLong);
    return false;
  }
  const requestId = newRequestId();
  transcript.task(
    task,
    mode,
    images.map((i) => ({ name: i.upload.name, url: i.url })),
  );
  steps = 0;
  showBudget('Starting…');
  setRunning(requestId);
  send({ type: 'runTask', requestId, task, mode, ...(agent ? { agent } : {}), ...(images.length ? { images: images.map((i) => i.upload) } : {}) });
  return true;
}

/** `/clear`, `/context`, `/cost` and `/compact` act on this view (no task is started); undefined for anything else. */
function viewCommand(task: string): (() => boolean) | undefined {
  const name = /^\/(clear|context|cost|compact)\s*$/.exec(task)?.[1];
  if (!name) return undefined;
  return () => {
    if (name === 'clear') {
      if (running) return false;
      send({ type: 'runCommand', command: 'tiller.newTask' });
    } else if (name === 'context') panels.show('context');
    else if (name === 'cost') panels.show('trace');
    else
      transcript.announce(
        'Tiller compacts the conversation on its own when it outgrows its share of the context window (old tool outputs first, then a summary by the small model); each task starts with a fresh context.',
      );
    return true;
  };
}

function setRunning(requestId: string | undefined): void {
  running = requestId;
  composer.setRunning(requestId !== undefined);
  if (requestId === undefined) composer.setEnabled(configured);
}

const composer = new Composer({
  submit(task, mode, images, agent) {
    // The built-ins that are views of this chat open them here; /plan and the files' commands go to the extension.
    const view = viewCommand(task);
    if (view) return view();
    if (running || !configured) return false;
    return startTask(task, mode, images, agent);
  },
  stop() {
    if (running) send({ type: 'stop', requestId: running });
  },
  pickModel: () => send({ type: 'runCommand', command: 'tiller.selectModel' }),
  mentionQuery: (requestId, query) => send({ type: 'mentionQuery', requestId, query }),
  newId: newRequestId,
  draftChanged(draft) {
    pageState.draft = draft;
    vscode.setState(pageState);
  },
});
if (pageState.draft) composer.setDraft(pageState.draft);

app.append(header, trustNote, panels.body, setup.element, log, composer.element);

// The sticky header and composer cover the page's edges: their heights become the scroll padding (chat.css), so a
// card scrolled into view lands between them, and the height a waiting card's buttons stick above.
function measureBars(): void {
  const root = document.documentElement.style;
  root.setProperty('--composer-height', `${composer.element.offsetHeight}px`);
  root.setProperty('--header-height', `${header.offsetHeight}px`);
}
if (typeof ResizeObserver === 'function') {
  const bars = new ResizeObserver(measureBars);
  bars.observe(composer.element);
  bars.observe(header);
}
measureBars();

function onMessage(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      configured = message.configured;
      setup.element.hidden = configured;
      setup.prefill(message.baseUrl, message.hasKey ?? false);
      trustNote.textContent = message.untrusted ?? '';
      trustNote.hidden = message.untrusted === undefined;
      composer.setModel(message.model);
      if (!running) composer.setEnabled(configured);
      if (!configured) setup.focus();
      return;
    case 'event': {
      if (message.requestId !== running) return;
      const e = message.event;
      if (e.type === 'step') {
        steps = e.step;
        showBudget(`Step ${steps}…`);
        transcript.step();
      } else if (e.type === 'text') transcript.text(e.delta);
      else if (e.type === 'text_reset') transcript.textReset();
      else if (e.type === 'tool_call') transcript.toolCall(e.id, e.tool, e.args);
      else if (e.type === 'tool_result') transcript.toolResult(e.id, e.tool, e.isError, e.preview);
      else if (e.type === 'notice') transcript.notice(e.message);
      else if (e.type === 'plan_progress') transcript.planProgress(e.steps);
      else if (e.type === 'question') transcript.question(e.question, e.answer);
      else if (e.type === 'check') transcript.check(checkEntry(e));
      else if (e.type === 'mode') composer.setMode(e.mode);
      return;
    }
    case 'outcome': {
      if (message.requestId !== running) return;
      transcript.outcome(message);
      const t = message.totals;
      showBudget(
        `${plural(t.steps, 'step')} · ${(t.promptTokens + t.completionTokens).toLocaleString('en-US')} tokens · ${costText(t.costUsd, message.priceKnown)}`,
      );
      setRunning(undefined);
      return;
    }
    case 'error':
      // An error about a task that already ended (a late answer to Stop) is old news.
      if (message.requestId !== undefined && message.requestId !== running) return;
      transcript.error(message.message);
      if (message.requestId !== undefined) {
        setRunning(undefined);
        showBudget('');
      }
      return;
    case 'submitTask':
      if (running || !configured) {
        composer.setDraft(message.task);
        composer.focus();
        return;
      }
      if (!startTask(message.task, 'act')) composer.setDraft(message.task);
      return;
    case 'reset':
      if (!running) {
        transcript.clear();
        showBudget('');
      }
      composer.focus();
      return;
    case 'approval':
      transcript.approval(message.approvalId, message.view, (answer) => send({ type: 'approvalAnswer', approvalId: message.approvalId, answer }));
      return;
    case 'approvalClosed':
      transcript.approvalClosed(message.approvalId, message);
      return;
    case 'mentionResults':
      composer.mentions.results(message.requestId, message.items);
      return;
    case 'workflows':
      composer.setWorkflows(message.commands, message.agents);
      return;
    case 'setupResult':
      setup.result(message.requestId, message.result);
      return;
    case 'setupSaved':
      setup.saved(message.requestId, message.error);
      return;
    case 'sessions':
      panels.setSessions(message);
      if (!running && message.transcript) {
        transcript.restore(message.transcript);
        // The header's totals were the last task's; a reopened session is another one.
        showBudget('');
      }
      return;
    case 'notice':
      transcript.announce(message.message);
      return;
    case 'trace':
      panels.trace(message);
      return;
    case 'context':
      panels.context(message);
      return;
    case 'showPanel':
      panels.show(message.panel);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.error(`[tiller] dropped an invalid message from the extension: ${parsed.error}`);
    return;
  }
  onMessage(parsed.message);
});

composer.setEnabled(false);
send({ type: 'ready' });
