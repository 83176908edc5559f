// First run: pick a provider preset (or type a base URL), enter the key, test the connection, pick a large and a
// small model from what the endpoint lists (or type their names when it lists none: many servers have no /models
// route), save. The key field is sent to the extension on Test/Save and cleared;
// it is never kept in the webview's state.
import { button, el } from './dom.js';

export interface Preset {
  id: string;
  label: string;
  baseUrl: string;
  needsKey: boolean;
  hint: string;
}

export const PRESETS: readonly Preset[] = [
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true, hint: 'Key from platform.openai.com.' },
  {
    id: 'azure',
    label: 'Azure OpenAI',
    baseUrl: 'https://YOUR-RESOURCE.openai.azure.com/openai/v1',
    needsKey: true,
    hint: 'Replace YOUR-RESOURCE; the key is the resource key.',
  },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true, hint: 'Key from openrouter.ai/keys.' },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', needsKey: false, hint: 'Start Ollama and pull a model first.' },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', needsKey: false, hint: 'Start the LM Studio server and load a model.' },
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1', needsKey: false, hint: 'The key is the --api-key you started vLLM with, if any.' },
  { id: 'custom', label: 'Custom base URL', baseUrl: '', needsKey: false, hint: 'Any OpenAI-compatible endpoint, usually ending in /v1.' },
];

export interface SetupHandlers {
  test(requestId: string, baseUrl: string, apiKey: string): void;
  save(requestId: string, input: { baseUrl: string; apiKey: string; model: string; smallModel: string }): void;
  newId(): string;
}

function field(label: string, ...controls: HTMLElement[]): HTMLElement {
  const row = el('label', 'setup-field');
  row.append(el('span', 'setup-label', label), ...controls);
  return row;
}

/** One model field: a list to pick from when the endpoint lists models, a text box for the name when it lists none. */
class ModelField {
  readonly select = el('select');
  readonly text = el('input');

  constructor(
    label: string,
    private readonly optional: boolean,
    placeholder: string,
  ) {
    // Named on each control: the label wraps both, and a hidden one must not make the other's name ambiguous.
    this.select.setAttribute('aria-label', label);
    this.text.setAttribute('aria-label', label);
    this.select.disabled = true;
    this.text.type = 'text';
    this.text.autocomplete = 'off';
    this.text.spellcheck = false;
    this.text.placeholder = placeholder;
    this.text.hidden = true;
  }

  get value(): string {
    return (this.text.hidden ? this.select.value : this.text.value).trim();
  }

  /** A list to pick from, or, when `models` is empty, a text box (keeping what was typed there). */
  offer(models: readonly string[]): void {
    const typed = models.length === 0;
    this.select.hidden = typed;
    this.text.hidden = !typed;
    this.select.replaceChildren();
    if (this.optional) {
      const none = el('option', '', '(same as the model)');
      none.value = '';
      this.select.append(none);
    }
    for (const m of models) {
      const o = el('option', '', m);
      o.value = m;
      this.select.append(o);
    }
    this.select.disabled = typed;
  }

  focus(): void {
    (this.text.hidden ? this.select : this.text).focus();
  }
}

export class SetupForm {
  readonly element: HTMLElement;
  private readonly preset = el('select');
  private readonly baseUrl = el('input');
  private readonly apiKey = el('input');
  private readonly large = new ModelField('Model', false, 'Model name as the server knows it');
  private readonly small = new ModelField('Small model (titles, summaries)', true, 'Optional: leave empty to use the model');
  private readonly status = el('div', 'setup-status');
  private readonly hint = el('div', 'setup-hint');
  private readonly saveButton: HTMLButtonElement;
  private pending: string | undefined;
  private hasKey = false;

  constructor(private readonly handlers: SetupHandlers) {
    this.element = el('form', 'setup');
    this.element.setAttribute('aria-label', 'Set up a model provider');
    for (const p of PRESETS) {
      const o = el('option', '', p.label);
      o.value = p.id;
      this.preset.append(o);
    }
    this.preset.addEventListener('change', () => this.applyPreset());
    this.baseUrl.type = 'url';
    this.baseUrl.placeholder = 'https://…/v1';
    this.apiKey.type = 'password';
    this.apiKey.autocomplete = 'off';
    this.status.setAttribute('role', 'status');
    const testButton = button('Test connection', () => this.test(), { icon: 'plug' });
    this.saveButton = button('Save', () => this.save(), { icon: 'save' });
    this.saveButton.disabled = true;
    const actions = el('div', 'card-actions');
    actions.append(testButton, this.saveButton);
    this.element.append(
      el('h3', '', 'Connect Tiller to a model'),
      field('Provider', this.preset),
      field('Base URL', this.baseUrl),
      field('API key', this.apiKey),
      this.hint,
      actions,
      this.status,
      field('Model', this.large.select, this.large.text),
      field('Small model (titles, summaries)', this.small.select, this.small.text),
    );
    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      this.test();
    });
    this.applyPreset();
  }

  /** The extension's current values: the base URL (never the key, only whether one is stored). */
  prefill(baseUrl: string | undefined, hasKey: boolean): void {
    this.hasKey = hasKey;
    if (baseUrl && !this.baseUrl.value) {
      this.baseUrl.value = baseUrl;
      const match = PRESETS.find((p) => p.baseUrl === baseUrl);
      this.preset.value = match?.id ?? 'custom';
    }
    this.apiKey.placeholder = hasKey ? 'A key is stored; leave empty to keep it' : 'API key (stored in the OS keychain)';
  }

  result(requestId: string, result: { ok: true; models: string[]; note?: string } | { ok: false; problem: string; message: string }): void {
    if (requestId !== this.pending) return;
    this.pending = undefined;
    if (!result.ok) {
      this.status.className = 'setup-status error';
      this.status.textContent = result.message;
      this.saveButton.disabled = true;
      return;
    }
    const listed = result.models.length;
    this.status.className = `setup-status ${listed ? 'ok' : 'warn'}`;
    this.status.textContent = listed
      ? `Connected: ${listed} model${listed === 1 ? '' : 's'} available. Pick one and save.`
      : `Connected, but there is no model list to pick from: ${result.note ?? 'the endpoint lists no models.'} Type the model name and save.`;
    this.large.offer(result.models);
    this.small.offer(result.models);
    this.saveButton.disabled = false;
    this.large.focus();
  }

  saved(requestId: string, error: string | undefined): void {
    if (requestId !== this.pending) return;
    this.pending = undefined;
    this.status.className = `setup-status ${error ? 'error' : 'ok'}`;
    this.status.textContent = error ? `Not saved: ${error}` : 'Saved.';
  }

  focus(): void {
    this.preset.focus();
  }

  private applyPreset(): void {
    const p = PRESETS.find((x) => x.id === this.preset.value) ?? PRESETS[0]!;
    if (p.baseUrl) this.baseUrl.value = p.baseUrl;
    this.hint.textContent = `${p.hint}${p.needsKey ? '' : ' No key needed unless you set one.'}`;
  }

  private test(): void {
    this.pending = this.handlers.newId();
    this.status.className = 'setup-status';
    this.status.textContent = 'Testing…';
    this.handlers.test(this.pending, this.baseUrl.value.trim(), this.apiKey.value);
  }

  private save(): void {
    if (!this.large.value) {
      this.status.className = 'setup-status error';
      this.status.textContent = 'Type the model name first: the endpoint did not list any to pick from.';
      this.large.focus();
      return;
    }
    this.pending = this.handlers.newId();
    this.handlers.save(this.pending, { baseUrl: this.baseUrl.value.trim(), apiKey: this.apiKey.value, model: this.large.value, smallModel: this.small.value });
    // The key went to the extension (SecretStorage); the page keeps no copy.
    this.apiKey.value = '';
    if (this.hasKey || this.apiKey.value === '') this.apiKey.placeholder = 'A key is stored; leave empty to keep it';
  }
}
