import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInline, parseMarkdown, safeHref } from '../../../webview/markdown.js';
import { renderMarkdown } from '../../../webview/markdown-dom.js';
import { doc, FakeElement, fakeDocument } from './dom-shim.js';

function render(md: string, actions?: { copy(c: string): void; insert(c: string): void }): FakeElement {
  const root = fakeDocument.createElement('div');
  renderMarkdown(doc, md, root as unknown as HTMLElement, actions);
  return root;
}

/** No element may come from the input's HTML, and no attribute may be an event handler. */
function assertInert(root: FakeElement): void {
  const allowed = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'em', 'strong', 'code', 'pre', 'a', 'br', 'hr', 'blockquote', 'div', 'span', 'button']);
  for (const el of root.all()) {
    assert.ok(allowed.has(el.tagName), `unexpected element <${el.tagName}>`);
    for (const name of el.attributes.keys()) assert.ok(!/^on/i.test(name), `event attribute ${name}`);
  }
  for (const a of root.byTag('a')) assert.match(a.getAttribute('href') ?? '', /^https?:\/\//);
}

test('headings, paragraphs, emphasis, inline code and lists become the matching elements', () => {
  const root = render('# Title\n\nSome *em* and **strong** and `code`.\n\n- one\n- two\n\n3. three\n4. four');
  assert.deepEqual(root.children.map((c) => c.tagName), ['h1', 'p', 'ul', 'ol']);
  assert.equal(root.children[0]!.textContent, 'Title');
  assert.equal(root.byTag('em')[0]!.textContent, 'em');
  assert.equal(root.byTag('strong')[0]!.textContent, 'strong');
  assert.equal(root.byTag('code')[0]!.textContent, 'code');
  assert.deepEqual(root.byTag('li').map((l) => l.textContent), ['one', 'two', 'three', 'four']);
  assert.equal(root.byTag('ol')[0]!.getAttribute('start'), '3');
});

test('HTML in the text is shown as text, never parsed', () => {
  const root = render('Hello <img src=x onerror="alert(1)"> <script>alert(2)</script> **<b>bold</b>**');
  assertInert(root);
  assert.match(root.textContent, /<img src=x onerror="alert\(1\)">/);
  assert.match(root.textContent, /<script>alert\(2\)<\/script>/);
  assert.equal(root.byTag('img').length, 0);
});

test('HTML inside a fenced code block is the code text', () => {
  const root = render('```html\n<img src=x onerror=alert(1)>\n<a href="javascript:alert(1)">x</a>\n```');
  assertInert(root);
  assert.equal(root.byTag('pre')[0]!.textContent, '<img src=x onerror=alert(1)>\n<a href="javascript:alert(1)">x</a>');
  assert.equal(root.byTag('a').length, 0);
});

test('only http(s) links keep a target; javascript:, data:, command: and vscode: links are text', () => {
  const root = render('[ok](https://example.com/a?b=1) [bad](javascript:alert(1)) [d](data:text/html,<x>) [c](command:workbench.action.terminal.new) [v](vscode://x) [rel](/etc/passwd) [case](JaVaScRiPt:alert(1))');
  assertInert(root);
  const links = root.byTag('a');
  assert.equal(links.length, 1);
  assert.equal(links[0]!.getAttribute('href'), 'https://example.com/a?b=1');
  assert.match(root.textContent, /bad \(javascript:alert\(1\)\)/);
  assert.equal(safeHref(' javascript:alert(1)'), undefined);
  assert.equal(safeHref('https://x.test/'), 'https://x.test/');
  assert.equal(safeHref('http://'), undefined);
});

test('bare URLs become links; snake_case is not emphasis', () => {
  const nodes = parseInline('see https://example.com/x. and some_var_name');
  assert.deepEqual(nodes[1], { type: 'link', href: 'https://example.com/x', children: [{ type: 'text', text: 'https://example.com/x' }] });
  assert.ok(!nodes.some((n) => n.type === 'em'));
});

test('code blocks get Copy and Insert buttons that pass the exact code', () => {
  const copied: string[] = [];
  const inserted: string[] = [];
  const root = render('Text\n\n```ts\nconst a = "<b>";\n```', { copy: (c) => copied.push(c), insert: (c) => inserted.push(c) });
  const buttons = root.byTag('button');
  assert.deepEqual(buttons.map((b) => b.getAttribute('aria-label')), ['Copy', 'Insert at cursor']);
  buttons[0]!.click();
  buttons[1]!.click();
  assert.deepEqual(copied, ['const a = "<b>";']);
  assert.deepEqual(inserted, ['const a = "<b>";']);
  assert.equal(root.byClass('code-lang')[0]!.textContent, 'ts');
});

test('an unclosed fence while streaming is a code block to the end; unmatched markers are text', () => {
  assert.deepEqual(parseMarkdown('```py\nprint(1)'), [{ type: 'code', lang: 'py', text: 'print(1)' }]);
  assert.deepEqual(parseInline('a * b and `open'), [{ type: 'text', text: 'a * b and `open' }]);
});

test('nested lists, quotes and rules', () => {
  const root = render('- a\n  - b\n- c\n\n> quoted *x*\n\n---');
  assert.equal(root.byTag('ul').length, 2);
  assert.equal(root.byTag('blockquote')[0]!.textContent, 'quoted x');
  assert.equal(root.byTag('hr').length, 1);
});

test('deeply nested input does not blow the stack', () => {
  const deep = '> '.repeat(5000) + 'x';
  // Also hostile runs of openers (each would otherwise scan to the end of the text).
  const root = render(deep + '\n\n' + '['.repeat(100_000) + '*'.repeat(100_000) + '_a'.repeat(50_000));
  assert.ok(root.textContent.includes('x'));
});
