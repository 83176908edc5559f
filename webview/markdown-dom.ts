// Turns parsed markdown (markdown.ts) into DOM nodes. Text only ever enters as text nodes; the one attribute that
// carries model input is a link's href, and parseInline only produces links whose target passed safeHref.
import { parseMarkdown, safeHref, type Block, type Inline } from './markdown.js';

export interface CodeActions {
  copy(code: string): void;
  insert(code: string): void;
}

function inline(doc: Document, nodes: Inline[], parent: Node): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        parent.appendChild(doc.createTextNode(node.text));
        break;
      case 'break':
        parent.appendChild(doc.createElement('br'));
        break;
      case 'code': {
        const code = doc.createElement('code');
        code.textContent = node.text;
        parent.appendChild(code);
        break;
      }
      case 'em':
      case 'strong': {
        const el = doc.createElement(node.type);
        inline(doc, node.children, el);
        parent.appendChild(el);
        break;
      }
      case 'link': {
        // Checked again here so that a tree built by anything else cannot smuggle in another scheme.
        const href = safeHref(node.href);
        if (!href) {
          inline(doc, node.children, parent);
          break;
        }
        const a = doc.createElement('a');
        a.setAttribute('href', href);
        a.setAttribute('title', href);
        a.setAttribute('rel', 'noopener noreferrer');
        inline(doc, node.children, a);
        parent.appendChild(a);
        break;
      }
    }
  }
}

function codeBlock(doc: Document, block: Extract<Block, { type: 'code' }>, actions: CodeActions | undefined): HTMLElement {
  const wrap = doc.createElement('div');
  wrap.className = 'code-block';
  if (actions || block.lang) {
    const bar = doc.createElement('div');
    bar.className = 'code-bar';
    const lang = doc.createElement('span');
    lang.className = 'code-lang';
    lang.textContent = block.lang;
    bar.appendChild(lang);
    if (actions) {
      for (const [label, icon, run] of [
        ['Copy', 'codicon-copy', actions.copy],
        ['Insert at cursor', 'codicon-insert', actions.insert],
      ] as const) {
        const button = doc.createElement('button');
        button.type = 'button';
        button.className = 'icon-button';
        button.setAttribute('aria-label', label);
        button.title = label;
        const glyph = doc.createElement('span');
        glyph.className = `codicon ${icon}`;
        button.appendChild(glyph);
        button.addEventListener('click', () => run(block.text));
        bar.appendChild(button);
      }
    }
    wrap.appendChild(bar);
  }
  const pre = doc.createElement('pre');
  const code = doc.createElement('code');
  code.textContent = block.text;
  pre.appendChild(code);
  wrap.appendChild(pre);
  return wrap;
}

function blocks(doc: Document, list: Block[], parent: Node, actions: CodeActions | undefined): void {
  for (const block of list) {
    switch (block.type) {
      case 'heading': {
        const h = doc.createElement(`h${block.level}`);
        inline(doc, block.children, h);
        parent.appendChild(h);
        break;
      }
      case 'paragraph': {
        const p = doc.createElement('p');
        inline(doc, block.children, p);
        parent.appendChild(p);
        break;
      }
      case 'code':
        parent.appendChild(codeBlock(doc, block, actions));
        break;
      case 'list': {
        const l = doc.createElement(block.ordered ? 'ol' : 'ul');
        if (block.ordered && block.start !== 1) l.setAttribute('start', String(block.start));
        for (const item of block.items) {
          const li = doc.createElement('li');
          // A tight item is one paragraph: render its inlines straight into the <li>.
          if (item.length === 1 && item[0]!.type === 'paragraph') inline(doc, item[0]!.children, li);
          else blocks(doc, item, li, actions);
          l.appendChild(li);
        }
        parent.appendChild(l);
        break;
      }
      case 'quote': {
        const q = doc.createElement('blockquote');
        blocks(doc, block.children, q, actions);
        parent.appendChild(q);
        break;
      }
      case 'rule':
        parent.appendChild(doc.createElement('hr'));
        break;
    }
  }
}

/** Replaces `target`'s children with the rendering of `markdown`. */
export function renderMarkdown(doc: Document, markdown: string, target: HTMLElement, actions?: CodeActions): void {
  const fragment = doc.createDocumentFragment();
  blocks(doc, parseMarkdown(markdown), fragment, actions);
  target.replaceChildren(fragment);
}
