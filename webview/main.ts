// The chat webview's entry: builds the page, validates every message from the extension with the shared schema
// (dropping and logging bad ones), and sends the user's actions back.
import { parseHostMessage, type HostMessage, type WebviewMessage } from '../extension/protocol/messages.js';
import { Composer } from './composer.js';
import { Transcript } from './transcript.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (message: WebviewMessage): void => vscode.postMessage(message);

let running: string | undefined;
let configured = false;

function newRequestId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

const app = document.getElementById('app') ?? document.body;
const setup = document.createElement('div');
setup.className = 'setup';
setup.hidden = true;
const setupText = document.createElement('p');
setupText.textContent = 'Tiller needs an OpenAI-compatible endpoint (tiller.baseUrl), a model (tiller.model) and, for most providers, an API key.';
const keyButton = document.createElement('button');
keyButton.textContent = 'Set API key';
keyButton.addEventListener('click', () => send({ type: 'runCommand', command: 'tiller.setApiKey' }));
const settingsButton = document.createElement('button');
settingsButton.textContent = 'Open settings';
settingsButton.className = 'secondary';
settingsButton.addEventListener('click', () => send({ type: 'runCommand', command: 'tiller.openSettings' }));
setup.append(setupText, keyButton, settingsButton);

const modelLine = document.createElement('div');
modelLine.className = 'model-line';
const log = document.createElement('div');
log.className = 'transcript';
log.setAttribute('role', 'log');
log.setAttribute('aria-live', 'polite');
const transcript = new Transcript(log);

function setRunning(requestId: string | undefined): void {
  running = requestId;
  composer.setRunning(requestId !== undefined);
  if (requestId === undefined) composer.setEnabled(configured);
}

const composer = new Composer({
  submit(task, mode) {
    if (running || !configured) return;
    const requestId = newRequestId();
    transcript.task(task, mode);
    setRunning(requestId);
    send({ type: 'runTask', requestId, task, mode });
  },
  stop() {
    if (running) send({ type: 'stop', requestId: running });
  },
});

app.append(setup, log, modelLine, composer.element);

function onMessage(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      configured = message.configured;
      setup.hidden = configured;
      modelLine.textContent = message.model ? `Model: ${message.model}` : '';
      if (!running) composer.setEnabled(configured);
      return;
    case 'event': {
      if (message.requestId !== running) return;
      const e = message.event;
      if (e.type === 'step') transcript.step();
      else if (e.type === 'text') transcript.text(e.delta);
      else if (e.type === 'text_reset') transcript.textReset();
      else if (e.type === 'tool_call') transcript.toolCall(e.tool, e.args);
      else if (e.type === 'tool_result') transcript.toolResult(e.tool, e.isError, e.preview);
      else if (e.type === 'notice') transcript.notice(e.message);
      return;
    }
    case 'outcome':
      if (message.requestId !== running) return;
      transcript.outcome(message.status, message.summary, message.totals);
      setRunning(undefined);
      return;
    case 'error':
      transcript.error(message.message);
      if (message.requestId !== undefined && message.requestId === running) setRunning(undefined);
      return;
    case 'reset':
      if (!running) transcript.clear();
      composer.focus();
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
