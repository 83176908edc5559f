// The setup form when the endpoint lists no models (a 404 on /models, or an empty list): it says why, offers a text
// box for the model name, and saves what was typed; with a list it offers the list.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement, installGlobalDocument } from './dom-shim.js';

let SetupForm: typeof import('../../../webview/setup-form.js').SetupForm;

before(async () => {
  installGlobalDocument();
  ({ SetupForm } = await import('../../../webview/setup-form.js'));
});

function form() {
  const saved: { model: string; smallModel: string; baseUrl: string }[] = [];
  let tested = 0;
  let id = 0;
  const setup = new SetupForm({
    newId: () => `r${++id}`,
    test: () => void tested++,
    save: (_requestId, input) => void saved.push(input),
  });
  const root = setup.element as unknown as FakeElement;
  const byLabel = (label: string, tag: string) => root.find((e) => e.tagName === tag && e.getAttribute('aria-label') === label)!;
  const click = (label: string) => root.find((e) => e.tagName === 'button' && e.getAttribute('aria-label') === label)!.click();
  const status = () => root.byClass('setup-status')[0]!;
  return { setup, saved, byLabel, click, status, tested: () => tested, lastId: () => `r${id}` };
}

test('no model list: the note says why, the model is typed, and Save sends the typed name', () => {
  const f = form();
  f.click('Test connection');
  assert.equal(f.tested(), 1);
  f.setup.result(f.lastId(), { ok: true, models: [], note: 'http://x/v1/models answered 404: this server does not list its models.' });
  assert.match(f.status().textContent, /^Connected, but there is no model list to pick from: .*answered 404/);
  assert.equal(f.status().className, 'setup-status warn');
  const select = f.byLabel('Model', 'select');
  const text = f.byLabel('Model', 'input');
  assert.equal(select.hidden, true);
  assert.equal(text.hidden, false);
  assert.equal(f.byLabel('Save', 'button')?.disabled, false);

  // Save with nothing typed says what is missing and sends nothing.
  text.value = '  ';
  f.click('Save');
  assert.equal(f.saved.length, 0);
  assert.match(f.status().textContent, /Type the model name first/);

  text.value = ' my-served-model ';
  f.byLabel('Small model (titles, summaries)', 'input').value = '';
  f.click('Save');
  assert.equal(f.saved.length, 1);
  assert.equal(f.saved[0]!.model, 'my-served-model');
  assert.equal(f.saved[0]!.smallModel, '');
});

test('a listed endpoint offers its models to pick from', () => {
  const f = form();
  f.click('Test connection');
  f.setup.result(f.lastId(), { ok: true, models: ['a-model', 'b-model'] });
  assert.match(f.status().textContent, /^Connected: 2 models available/);
  const select = f.byLabel('Model', 'select');
  assert.equal(select.hidden, false);
  assert.equal(f.byLabel('Model', 'input').hidden, true);
  assert.deepEqual(select.children.map((o) => o.textContent), ['a-model', 'b-model']);
  // The small model may be the same as the large one.
  assert.deepEqual(f.byLabel('Small model (titles, summaries)', 'select').children.map((o) => o.textContent), ['(same as the model)', 'a-model', 'b-model']);
});

test('a failed test keeps Save disabled and shows what went wrong', () => {
  const f = form();
  f.click('Test connection');
  f.setup.result(f.lastId(), { ok: false, problem: 'unreachable', message: 'cannot reach http://x/v1/models (ECONNREFUSED)' });
  assert.equal(f.status().className, 'setup-status error');
  assert.equal(f.byLabel('Save', 'button')?.disabled, true);
});
