// Small helpers for building the view with createElement and text nodes (never HTML strings).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(
  label: string,
  onClick: () => void,
  options: { icon?: string; secondary?: boolean; title?: string; iconOnly?: boolean } = {},
): HTMLButtonElement {
  const b = el('button', [options.secondary ? 'secondary' : '', options.iconOnly ? 'icon-button' : ''].filter(Boolean).join(' '));
  b.type = 'button';
  if (options.icon) b.append(el('span', `codicon codicon-${options.icon}`));
  if (!options.iconOnly) b.append(document.createTextNode(options.icon ? ` ${label}` : label));
  b.setAttribute('aria-label', label);
  if (options.title ?? options.iconOnly) b.title = options.title ?? label;
  b.addEventListener('click', onClick);
  return b;
}
